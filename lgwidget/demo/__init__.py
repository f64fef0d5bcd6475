"""Deterministic, offline demo graphs served by :func:`lgwidget.local_server`.

Importing this package needs the ``server`` extra (langgraph, langchain-core);
the graph modules are loaded by the server process, not by the widget.
"""

GRAPHS: dict[str, str] = {
    "weather": "lgwidget.demo.weather:graph",
    "ticker": "lgwidget.demo.ticker:graph",
}
