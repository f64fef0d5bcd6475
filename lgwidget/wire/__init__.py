"""Layer 1, events and bytes: the event record, its (de)serialisation, the
compact event log, and the binary wire format between kernel and view."""
