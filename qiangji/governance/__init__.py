"""The governance and field work: micro-power lists, 四议两公开, reports, co-governance, contact points."""
