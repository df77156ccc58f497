"""One router per area of the portal; parent_portal.app includes them all."""
