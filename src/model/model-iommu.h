/*
 * src/model/model-iommu.h — the mock IOMMU "hardware" and its driver: the
 * struct iommu_ops the model's domains call through, as a real driver
 * (intel-iommu v5.3 for the deferred attach, arm-smmu for the page table)
 * fills them in.
 *
 * One struct model_iommu stands for one IOMMU unit: every domain allocated
 * on it shares its invalidation command queue (cmdq_lock), as every domain
 * behind one VT-d unit shares its queued-invalidation ring. The cost of an
 * invalidation is modelled as a busy-wait (cpu_relax) under cmdq_lock until
 * get_cycles() (compiler.h) has advanced `inv_ticks` past the invalidation's start: a
 * deadline, so the modelled time is exact to a tick read (~10-25 ns), not a
 * count of `pause` iterations. The ticks are the TSC on x86 (the kernel's
 * udelay() waits on it too), CLOCK_MONOTONIC ns elsewhere; the harness converts
 * --inv-ns to ticks with its calibration. 0 ticks: the lock round trip alone.
 *
 * Thread rules: model_iommu_create/destroy, domain alloc/free and device
 * probe/release run with no worker alive. The ops run on any thread
 * concurrently (attach_dev serialises on the device's dev_iommu lock).
 */
#ifndef DMABENCH_MODEL_MODEL_IOMMU_H
#define DMABENCH_MODEL_MODEL_IOMMU_H

#include <stdbool.h>
#include <stdint.h>
#include "model/iommu.h"

struct model_iommu {
	/*
	 * The command queue lock: every CPU invalidating for any domain on this
	 * unit takes it. Shared on purpose (it is what strict mode contends);
	 * the counters are written only under it, so they share its line.
	 */
	spinlock_t	cmdq_lock;
	uint64_t	inv_ticks;		/* modelled cost of one invalidation */
	unsigned long	nr_iotlb_sync;		/* range invalidations completed */
	unsigned long	nr_flush_all;		/* global invalidations completed */
} ____cacheline_aligned;

/* drivers/iommu/intel/iommu.c, v5.3: struct device_domain_info, what dev priv points at once attached */
struct device_domain_info {
	struct device		*dev;
	struct iommu_domain	*domain;
};

extern const struct iommu_ops model_iommu_ops;

/* NULL on allocation failure. */
struct model_iommu *model_iommu_create(uint64_t inv_ticks);

void model_iommu_destroy(struct model_iommu *iommu);

/*
 * ops->domain_alloc(): a domain of @type (IOMMU_DOMAIN_DMA or
 * IOMMU_DOMAIN_DMA_FQ) with an empty 4-level page table, ops, pgsize_bitmap
 * (4 KiB), a 48-bit aperture and DOMAIN_MAGIC; no DMA cookie yet
 * (dma-iommu.h). NULL on allocation failure or a bad type.
 */
struct iommu_domain *model_iommu_domain_alloc(struct model_iommu *iommu, unsigned int type);
/* ops->domain_free(): frees the page table, poisons magic, frees the domain. */
void model_iommu_domain_free(struct iommu_domain *domain);

/*
 * ops->probe_device(): give @dev its dev_iommu. @defer: the device starts
 * with its attach deferred (attach_deferred = 1, priv =
 * DEFER_DEVICE_DOMAIN_INFO), as intel-iommu does in a kdump kernel whose
 * translation was left enabled by the crashed kernel. 0 or -ENOMEM.
 */
int model_iommu_probe_device(struct device *dev, bool defer);
/* ops->release_device(): frees dev->iommu and its domain info. */
void model_iommu_release_device(struct device *dev);

/* Invalidations completed on @iommu (range + global). Any thread; a snapshot. */
unsigned long model_iommu_nr_invalidations(struct model_iommu *iommu);

#endif
