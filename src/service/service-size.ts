/** How much a team service gets: replicas, autoscaling range and container resources. */
export enum ServiceSize {
  /** 2 to 4 replicas; requests 100m CPU / 128Mi, limits 500m / 256Mi. */
  SMALL = 'small',
  /** 2 to 8 replicas; requests 250m CPU / 256Mi, limits 1 / 512Mi. */
  MEDIUM = 'medium',
  /** 3 to 12 replicas; requests 500m CPU / 512Mi, limits 2 / 1Gi. */
  LARGE = 'large',
}

/** @internal What a size means. */
export interface SizeSpec {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpuRequestMillis: number;
  readonly cpuLimitMillis: number;
  readonly memoryRequestMi: number;
  readonly memoryLimitMi: number;
}

/** @internal */
export const SIZES: Record<ServiceSize, SizeSpec> = {
  [ServiceSize.SMALL]: { minReplicas: 2, maxReplicas: 4, cpuRequestMillis: 100, cpuLimitMillis: 500, memoryRequestMi: 128, memoryLimitMi: 256 },
  [ServiceSize.MEDIUM]: { minReplicas: 2, maxReplicas: 8, cpuRequestMillis: 250, cpuLimitMillis: 1000, memoryRequestMi: 256, memoryLimitMi: 512 },
  [ServiceSize.LARGE]: { minReplicas: 3, maxReplicas: 12, cpuRequestMillis: 500, cpuLimitMillis: 2000, memoryRequestMi: 512, memoryLimitMi: 1024 },
};
