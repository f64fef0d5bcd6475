"""Layer 4, the widget: the timeline that runs a feed in a task, its synced
traits, the transport of its events to the view, and its lifecycle in a
notebook."""
