// The harness measures allocation with the process-wide counter, so no two cases may run at once.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
