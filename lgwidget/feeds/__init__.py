"""Layer 3, what fills a timeline: a feed per source (a run, a joined run, a
thread's history, the thread event stream, foreign iterators and compiled
graphs), all through one contract (:mod:`lgwidget.feeds.contract`) and one
decision of how a run ended (:mod:`lgwidget.feeds.ending`)."""
