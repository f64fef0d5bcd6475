"""Layer 2, the HTTP side: the SSE decoder, the LangGraph API client, and
telling a rejoined stream's new events from its repeats."""
