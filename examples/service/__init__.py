"""An example service over AsyncEngine: a profile page, a feed page, a follow button, and a
notification worker reading the event outbox."""
