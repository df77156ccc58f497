"""Broker side: mosquitto configuration, per-device credentials and ACLs (acl.py), a local
mosquitto runner for tests and benchmarks (local.py), the embedded demo broker (embedded.py).
See mqtt_bridge/README.md ("Brokers") for the production path.
"""
