"""Running the flow: one client, a batch, warm kernels, the earlier run, the checks before a run."""
