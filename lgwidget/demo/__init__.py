"""Deterministic, offline demo graphs served by :func:`lgwidget.local_server`.

Importing this package needs the ``server`` extra (langgraph, langchain-core);
the graph modules are loaded by the server process, not by the widget.

- ``weather``: the tool-calling loop of LangGraph's "stream state updates" guide.
- ``ticker``: ``n`` ticks, ``pause`` seconds apart (long or slow runs on demand).
- ``research``: chat model, tool node, a subgraph node and ``custom`` progress events.
- ``approval``: ``interrupt()`` asks before a tool call runs; resume to answer.
- ``failing``: one node succeeds, the next raises (an ``error`` event).
- ``fanout``: ``Send`` map-reduce, ``n`` parallel ``work`` tasks in one superstep.
- ``nested``: a subgraph two levels down calls ``interrupt()``; resume to answer.
- ``router``: ``Command(goto=...)`` picks the next node.
"""

GRAPHS: dict[str, str] = {
    "weather": "lgwidget.demo.weather:graph",
    "ticker": "lgwidget.demo.ticker:graph",
    "research": "lgwidget.demo.research:graph",
    "approval": "lgwidget.demo.approval:graph",
    "failing": "lgwidget.demo.failing:graph",
    "fanout": "lgwidget.demo.fanout:graph",
    "nested": "lgwidget.demo.nested:graph",
    "router": "lgwidget.demo.router:graph",
}
