"""A fleet of hosts on one database: which host serves which network."""
