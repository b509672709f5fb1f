/*
 * src/model/model.h — the world: one mock IOMMU with the groups, domains and
 * devices a run maps for, built in one call, torn down in one call, and
 * checked against the model's invariants afterwards.
 *
 * Sharing (which threads map for which device):
 *   MODEL_SHARE_DEVICE   one device in one group with one domain; every
 *                        thread maps for it (a multi-queue NIC);
 *   MODEL_SHARE_GROUP    a device per thread, all in one group, one domain;
 *   MODEL_SHARE_PRIVATE  a group, a domain and a device per thread.
 * Every domain sits on the one struct model_iommu (one IOMMU unit, one
 * invalidation queue). Domains are IOMMU_DOMAIN_DMA (strict) or
 * IOMMU_DOMAIN_DMA_FQ (lazy: per-CPU flush queues and a timer thread each).
 * Devices are 64-bit PCI devices whose dma_lookup is the configured lookup
 * design's struct dma_lookup_ops (dma-lookup.h).
 *
 * Normal mode: each device is attached to its group's domain at creation
 * (model_attach_count 1). kdump mode: model_set_kdump(true) (restored at
 * destroy) and every device starts with its attach deferred
 * (dev->iommu->attach_deferred = 1, priv = DEFER_DEVICE_DOMAIN_INFO): the
 * strategy's first map attaches it.
 *
 * lookup->group_init runs for each group once it is built (domain set,
 * devices added), group_release before it is torn down; whatever set the
 * lookup design up is the caller's. The group refcount's start value (1 +
 * one per device, as iommu_group_add_device leaves it, plus whatever
 * group_init took) is recorded after group_init.
 *
 * All memory comes from alloc.h (shared objects: model_zalloc_shared), so an
 * installed allocator places them; any failure frees everything made so far.
 *
 * Thread rules: create, destroy, check and flush run with no DMA call in
 * flight (workers started after create, joined before check). The accessors
 * may be called from any thread. Set model_set_nr_cpu_ids() before create:
 * the per-CPU caches and queues are made for that many CPU slots.
 */
#ifndef DMABENCH_MODEL_MODEL_H
#define DMABENCH_MODEL_MODEL_H

#include <stdbool.h>
#include "model/iommu.h"
#include "model/model-iommu.h"

struct dma_lookup_ops;
struct model_world;

enum model_sharing {
	MODEL_SHARE_DEVICE,
	MODEL_SHARE_GROUP,
	MODEL_SHARE_PRIVATE,
};

#define MODEL_MAX_THREADS	MODEL_MAX_CPUS

struct model_world_config {
	int nr_threads;			/* 1 .. MODEL_MAX_THREADS */
	enum model_sharing sharing;
	bool kdump;			/* is_kdump_kernel(); devices start deferred */
	bool strict;			/* strict invalidation, else lazy (flush queue) */
	uint64_t inv_ticks;		/* modelled invalidation, get_cycles() ticks (model-iommu.h) */
	const struct dma_lookup_ops *lookup;	/* every hook non-NULL */
};

/*
 * 0 and *@out set, or -EINVAL (bad config: threads out of range, unknown
 * sharing, no lookup or a NULL hook), -ENOMEM, or the lookup's
 * group_init error; then *@out is NULL and nothing is left allocated.
 */
int model_world_create(const struct model_world_config *cfg, struct model_world **out);
/* Tears everything down (NULL: nothing); restores the kdump state create found. */
void model_world_destroy(struct model_world *world);

/* Thread @thread's device / group / handed domain; NULL if out of range. */
struct device *model_world_device(struct model_world *world, int thread);
struct iommu_group *model_world_group(struct model_world *world, int thread);
struct iommu_domain *model_world_domain(struct model_world *world, int thread);
struct model_iommu *model_world_iommu(struct model_world *world);
int model_world_nr_devices(const struct model_world *world);
int model_world_nr_groups(const struct model_world *world);

/* The final flush: every domain's flush queues drained (lazy), nothing waits. */
void model_world_flush(struct model_world *world);

/*
 * What model_world_check() found. Counts are summed over groups/devices;
 * `what` names the first violation ("" when all hold).
 */
struct model_check {
	int refcount_bad_groups;	/* group refcount != its start value */
	long refcount_delta;		/* sum of (now - start) over groups */
	int iova_inconsistent;		/* iova_domain_check() failed */
	unsigned long iova_leaked;	/* ranges allocated in the tree, not in a cache */
	unsigned long fq_queued;	/* flush-queue entries left after the final flush */
	unsigned long pages_mapped;	/* valid page-table leaves */
	int domains_poisoned;		/* a group's domain lost DOMAIN_MAGIC */
	int attached_twice;		/* a device attached more than once */
	int attach_inconsistent;	/* deferred flag, priv and attach count disagree */
	int mapped_unattached;		/* a domain was mapped while its device(s) still deferred */
	int nr_deferred;		/* devices still deferred (not a violation by itself) */
	char what[160];
};

/*
 * Final flush, then the invariants: group refcounts at their start values;
 * no IOVA leaked (tree consistent, every allocated range held by a cache,
 * flush queues empty); page tables empty; domains unpoisoned; no device
 * attached more than once, every attached device exactly once, a deferred
 * device never attached, and no domain that was mapped whose device (every
 * device, in group sharing) is still deferred. 0 if all hold, else -EINVAL;
 * @out (may be NULL) says which.
 */
int model_world_check(struct model_world *world, struct model_check *out);

#endif
