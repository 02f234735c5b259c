"""Peers: the systems a platform team would pick instead, run side by side with mutuals (`make bench-peers`)."""
