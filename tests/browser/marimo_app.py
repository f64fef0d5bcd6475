"""A marimo app of two live timelines, for test_marimo_browser.py.

Run by ``marimo run``; the LangGraph server's URL comes from LGWIDGET_URL.
"""

import marimo

app = marimo.App()


@app.cell
def _():
    import os

    import marimo as mo

    import lgwidget

    url = os.environ["LGWIDGET_URL"]
    return lgwidget, mo, url


@app.cell
def _(lgwidget, mo, url):
    weather = lgwidget.stream(
        url,
        "weather",
        input={"messages": [{"role": "user", "content": "what's the weather in la"}]},
        stream_mode="updates",
    )
    mo.ui.anywidget(weather)
    return


@app.cell
def _(lgwidget, mo, url):
    ticker = lgwidget.stream(url, "ticker", input={"n": 8, "pause": 0.4})
    mo.ui.anywidget(ticker)
    return


if __name__ == "__main__":
    app.run()
