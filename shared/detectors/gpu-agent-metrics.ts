/**
 * The GPU metrics the CloudWatch agent publishes from `nvidia-smi` (its `nvidia_gpu` section).
 * Their namespace (CWAgent by default) and dimensions (index, name, arch, host, and InstanceId
 * when `append_dimensions` asks for it) depend on the agent's config, so the scan discovers
 * the exact series with ListMetrics, one sweep per name.
 */

/** Percent of the sample period the GPU's kernels ran. */
export const GPU_UTILIZATION = "nvidia_smi_utilization_gpu";
/** Percent of the sample period device memory was read or written (activity, not occupancy). */
export const GPU_MEMORY_UTILIZATION = "nvidia_smi_utilization_memory";
/** MiB of device memory held by processes (occupancy: a kernel may hold memory and do nothing). */
export const GPU_MEMORY_USED = "nvidia_smi_memory_used";

export const GPU_AGENT_METRICS = [GPU_UTILIZATION, GPU_MEMORY_UTILIZATION, GPU_MEMORY_USED] as const;
