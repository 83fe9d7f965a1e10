// The collector: sources, spool, pusher.
