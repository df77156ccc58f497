"""kidsafe benchmarks: `make bench` prints speed and memory figures; nothing here asserts on time."""
