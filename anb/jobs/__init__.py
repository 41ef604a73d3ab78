"""Job execution infrastructure: the queue hand-off and the workers that run processing jobs."""
