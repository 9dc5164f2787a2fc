"""From diagnosis to plan: target, flags, ranking, costs, playbook, plays, funnel, levers, chapters."""
