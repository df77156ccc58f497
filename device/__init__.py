"""kidsafe device: the child's side — search and voice pipelines, usage clock, local API and page."""
