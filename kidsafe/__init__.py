"""kidsafe command-line entry point; dispatches to the parts (filters, device, portal)."""
