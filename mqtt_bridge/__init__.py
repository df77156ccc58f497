"""kidsafe MQTT bridge: how devices receive policies and signed updates and report back.

    topics      every topic name under kidsafe/v1/ (the contract with the portal and operators)
    payloads    pydantic v2 models of every payload (schema version + message id on each)
    signing     Ed25519 keys, canonical JSON, signatures over payloads and bundle metadata
    outbox      persistent SQLite outbox for QoS 1 telemetry (nothing lost, safety never dropped)
    client      paho-mqtt 2 connection helpers (MQTT 5 / 3.1.1, TLS, credentials, backoff)
    agent       the device agent (`kidsafe device agent`)
    fleet       bundles, rollout and status (`kidsafe fleet ...`)
    portal_api  small publisher / telemetry consumer API the parent portal builds on
"""
