/* The world builder: drivers/iommu/iommu.c v6.1 (iommu_group_alloc, iommu_group_add_device, probe) in one place */
#include <stdio.h>
#include <string.h>
#include "model/alloc.h"
#include "model/crash_dump.h"
#include "model/dma-iommu.h"
#include "model/dma-lookup.h"
#include "model/io-pgtable.h"
#include "model/model.h"

struct model_world {
	struct model_world_config cfg;
	struct model_iommu *iommu;
	int nr_groups, nr_devices;
	struct iommu_group **groups;
	struct device **devices;
	int *start_refs;		/* per group, recorded after group_init */
	bool *group_inited;		/* per group: group_init succeeded */
	bool kdump_was;
};

static bool lookup_complete(const struct dma_lookup_ops *l)
{
	return l && l->lookup && l->map_get && l->unmap_get && l->put &&
	       l->group_init && l->group_release && l->group_check &&
	       l->map_page && l->unmap_page && l->map_sg && l->unmap_sg;
}

/* iommu_group_alloc(): the group and its devices kobject (refcount 1) */
static struct iommu_group *model_group_alloc(int id, int max_devices)
{
	struct iommu_group *group = model_zalloc_shared(sizeof(*group));

	if (!group)
		return NULL;
	/*
	 * A separate allocation, as kobject_create_and_add() makes it: the
	 * refcount every lookup writes is not on the line holding domain.
	 */
	group->devices_kobj = model_zalloc_shared(sizeof(*group->devices_kobj));
	group->model_devices = model_zalloc_shared(max_devices * sizeof(struct device *));
	if (!group->devices_kobj || !group->model_devices) {
		model_free_shared(group->model_devices, max_devices * sizeof(struct device *));
		model_free_shared(group->devices_kobj, sizeof(*group->devices_kobj));
		model_free_shared(group, sizeof(*group));
		return NULL;
	}
	kobject_init(&group->kobj, NULL);
	kobject_init(group->devices_kobj, NULL);
	group->devices_kobj->parent = &group->kobj;
	pthread_mutex_init(&group->mutex, NULL);
	group->id = id;
	return group;
}

static void model_group_free(struct iommu_group *group, int max_devices)
{
	pthread_mutex_destroy(&group->mutex);
	model_free_shared(group->model_devices, max_devices * sizeof(struct device *));
	model_free_shared(group->devices_kobj, sizeof(*group->devices_kobj));
	model_free_shared(group, sizeof(*group));
}

/* iommu_group_add_device(): the group keeps a reference per device */
static void model_group_add_device(struct iommu_group *group, struct device *dev)
{
	group->model_devices[group->model_nr_devices++] = dev;
	kobject_get(group->devices_kobj);
	dev->iommu_group = group;
}

static void model_group_remove_device(struct device *dev)
{
	struct iommu_group *group = dev->iommu_group;

	if (!group)
		return;
	dev->iommu_group = NULL;
	kobject_put(group->devices_kobj);
}

/* ops->domain_alloc() + iommu_get_dma_cookie() + iommu_dma_init_domain() */
static int model_group_domain(struct model_world *w, struct iommu_group *group)
{
	struct iommu_domain *domain;
	int ret;

	domain = model_iommu_domain_alloc(w->iommu, w->cfg.strict ? IOMMU_DOMAIN_DMA
								    : IOMMU_DOMAIN_DMA_FQ);
	if (!domain)
		return -ENOMEM;
	ret = iommu_get_dma_cookie(domain);
	if (!ret)
		ret = iommu_dma_init_domain(domain, 0, domain->geometry.aperture_end, NULL);
	if (ret) {
		iommu_put_dma_cookie(domain);
		model_iommu_domain_free(domain);
		return ret;
	}
	group->default_domain = domain;
	group->domain = domain;
	return 0;
}

static struct device *model_device_alloc(struct model_world *w, int id)
{
	struct device *dev = model_zalloc_shared(sizeof(*dev));

	if (!dev)
		return NULL;
	dev->init_name = "model-pci-dev";
	dev->dma_lookup = w->cfg.lookup;
	dev->dma_mask = ~0ULL;			/* DMA_BIT_MASK(64) */
	dev->coherent_dma_mask = ~0ULL;
	dev->numa_node = -1;			/* NUMA_NO_NODE: the harness places memory */
	dev->model_id = id;
	if (model_iommu_probe_device(dev, w->cfg.kdump)) {
		model_free_shared(dev, sizeof(*dev));
		return NULL;
	}
	return dev;
}

static void model_device_free(struct device *dev)
{
	model_group_remove_device(dev);
	model_iommu_release_device(dev);
	model_free_shared(dev, sizeof(*dev));
}

static int devices_per_group(const struct model_world *w)
{
	return w->cfg.sharing == MODEL_SHARE_GROUP ? w->cfg.nr_threads : 1;
}

void model_world_destroy(struct model_world *w)
{
	int per_group;

	if (!w)
		return;
	per_group = devices_per_group(w);
	for (int g = 0; w->groups && g < w->nr_groups; g++) {
		struct iommu_group *group = w->groups[g];
		struct iommu_domain *domain;

		if (!group)
			continue;
		if (w->group_inited && w->group_inited[g])
			w->cfg.lookup->group_release(group);
		while (group->model_nr_devices > 0) {
			struct device *dev = group->model_devices[--group->model_nr_devices];

			model_device_free(dev);
		}
		domain = group->default_domain;
		if (domain) {
			iommu_put_dma_cookie(domain);
			model_iommu_domain_free(domain);
		}
		model_group_free(group, per_group);
	}
	model_free_shared(w->groups, w->nr_groups * sizeof(*w->groups));
	model_free_shared(w->devices, w->nr_devices * sizeof(*w->devices));
	model_free_shared(w->start_refs, w->nr_groups * sizeof(*w->start_refs));
	model_free_shared(w->group_inited, w->nr_groups * sizeof(*w->group_inited));
	model_iommu_destroy(w->iommu);
	model_set_kdump(w->kdump_was);
	model_free_shared(w, sizeof(*w));
}

static int model_world_build(struct model_world *w)
{
	int per_group = devices_per_group(w);
	int ret;

	w->iommu = model_iommu_create(w->cfg.inv_ticks);
	w->groups = model_zalloc_shared(w->nr_groups * sizeof(*w->groups));
	w->devices = model_zalloc_shared(w->nr_devices * sizeof(*w->devices));
	w->start_refs = model_zalloc_shared(w->nr_groups * sizeof(*w->start_refs));
	w->group_inited = model_zalloc_shared(w->nr_groups * sizeof(*w->group_inited));
	if (!w->iommu || !w->groups || !w->devices || !w->start_refs || !w->group_inited)
		return -ENOMEM;

	for (int g = 0; g < w->nr_groups; g++) {
		struct iommu_group *group = model_group_alloc(g, per_group);

		if (!group)
			return -ENOMEM;
		w->groups[g] = group;
		ret = model_group_domain(w, group);
		if (ret)
			return ret;

		for (int i = 0; i < per_group; i++) {
			int id = g * per_group + i;
			struct device *dev = model_device_alloc(w, id);

			if (!dev)
				return -ENOMEM;
			model_group_add_device(group, dev);
			w->devices[id] = dev;
			/* iommu_probe_device(): attach now unless the attach is deferred */
			if (!w->cfg.kdump) {
				ret = __iommu_attach_device(group->default_domain, dev);
				if (ret)
					return ret;
			}
		}

		ret = w->cfg.lookup->group_init(group);
		if (ret)
			return ret;
		w->group_inited[g] = true;
		w->start_refs[g] = kref_read(&group->devices_kobj->kref);
	}
	return 0;
}

int model_world_create(const struct model_world_config *cfg, struct model_world **out)
{
	struct model_world *w;
	int ret;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!cfg || cfg->nr_threads < 1 || cfg->nr_threads > MODEL_MAX_THREADS ||
	    (cfg->sharing != MODEL_SHARE_DEVICE && cfg->sharing != MODEL_SHARE_GROUP &&
	     cfg->sharing != MODEL_SHARE_PRIVATE) ||
	    !lookup_complete(cfg->lookup))
		return -EINVAL;

	w = model_zalloc_shared(sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->cfg = *cfg;
	w->nr_groups = cfg->sharing == MODEL_SHARE_PRIVATE ? cfg->nr_threads : 1;
	w->nr_devices = cfg->sharing == MODEL_SHARE_DEVICE ? 1 : cfg->nr_threads;
	w->kdump_was = model_set_kdump(cfg->kdump);

	ret = model_world_build(w);
	if (ret) {
		model_world_destroy(w);
		return ret;
	}
	*out = w;
	return 0;
}

static int thread_device_index(const struct model_world *w, int thread)
{
	if (!w || thread < 0 || thread >= w->cfg.nr_threads)
		return -1;
	return w->cfg.sharing == MODEL_SHARE_DEVICE ? 0 : thread;
}

struct device *model_world_device(struct model_world *w, int thread)
{
	int i = thread_device_index(w, thread);

	return i < 0 ? NULL : w->devices[i];
}

struct iommu_group *model_world_group(struct model_world *w, int thread)
{
	struct device *dev = model_world_device(w, thread);

	return dev ? dev->iommu_group : NULL;
}

struct iommu_domain *model_world_domain(struct model_world *w, int thread)
{
	struct iommu_group *group = model_world_group(w, thread);

	return group ? group->default_domain : NULL;
}

struct model_iommu *model_world_iommu(struct model_world *w)
{
	return w ? w->iommu : NULL;
}

int model_world_nr_devices(const struct model_world *w)
{
	return w ? w->nr_devices : 0;
}

int model_world_nr_groups(const struct model_world *w)
{
	return w ? w->nr_groups : 0;
}

void model_world_flush(struct model_world *w)
{
	for (int g = 0; w && g < w->nr_groups; g++)
		iommu_dma_flush_queues(w->groups[g]->default_domain);
}

#define NOTE(c, ...) do {						\
	if (!(c)->what[0])						\
		snprintf((c)->what, sizeof((c)->what), __VA_ARGS__);	\
} while (0)

static bool device_deferred(struct device *dev)
{
	return READ_ONCE(dev->iommu->attach_deferred) ||
	       READ_ONCE(dev->iommu->priv) == DEFER_DEVICE_DOMAIN_INFO;
}

static void check_group(struct model_world *w, int g, struct model_check *c)
{
	struct iommu_group *group = w->groups[g];
	struct iommu_domain *domain = group->default_domain;
	struct iova_domain *iovad = iommu_dma_iovad(domain);
	unsigned long allocated, cached, leaves, queued;
	int ref = kref_read(&group->devices_kobj->kref);
	bool mapped, all_deferred = true, any_deferred = false;

	if (ref != w->start_refs[g]) {
		c->refcount_bad_groups++;
		c->refcount_delta += ref - w->start_refs[g];
		NOTE(c, "group %d refcount %d, started at %d", g, ref, w->start_refs[g]);
	}
	/* the lookup design's own per-group count (percpu-ref), which the kobject does not see */
	if (w->cfg.lookup->group_check(group)) {
		c->refcount_bad_groups++;
		NOTE(c, "group %d: the lookup's reference count did not return to its start", g);
	}
	if (domain->magic != DOMAIN_MAGIC || group->domain != domain) {
		c->domains_poisoned++;
		NOTE(c, "group %d domain poisoned or replaced", g);
		return;
	}

	if (iova_domain_check(iovad)) {
		c->iova_inconsistent++;
		NOTE(c, "group %d IOVA domain inconsistent", g);
	}
	queued = iommu_dma_fq_nr_queued(domain);
	c->fq_queued += queued;
	if (queued)
		NOTE(c, "group %d: %lu IOVAs still in flush queues", g, queued);
	allocated = iova_domain_nr_allocated(iovad);
	cached = iova_domain_nr_cached(iovad);
	if (allocated != cached) {
		c->iova_leaked += allocated > cached ? allocated - cached : cached - allocated;
		NOTE(c, "group %d: %lu IOVA ranges allocated, %lu cached", g, allocated, cached);
	}
	leaves = io_pgtable_nr_leaves(domain->pgtbl);
	c->pages_mapped += leaves;
	if (leaves)
		NOTE(c, "group %d: %lu pages still mapped", g, leaves);

	for (int i = 0; i < group->model_nr_devices; i++) {
		struct device *dev = group->model_devices[i];
		bool deferred = device_deferred(dev);
		bool flag = READ_ONCE(dev->iommu->attach_deferred);
		bool priv_deferred = READ_ONCE(dev->iommu->priv) == DEFER_DEVICE_DOMAIN_INFO;

		if (dev->model_attach_count > 1) {
			c->attached_twice++;
			NOTE(c, "device %d attached %d times", dev->model_id, dev->model_attach_count);
		}
		if (flag != priv_deferred ||
		    (deferred && dev->model_attach_count != 0) ||
		    (!deferred && dev->model_attach_count != 1)) {
			c->attach_inconsistent++;
			NOTE(c, "device %d: attach_deferred %d, priv %s, attached %d times",
			     dev->model_id, flag, priv_deferred ? "deferred" : "set",
			     dev->model_attach_count);
		}
		if (deferred)
			c->nr_deferred++;
		all_deferred &= deferred;
		any_deferred |= deferred;
	}

	/*
	 * A domain that ever had a mapping keeps its lower tables. With one
	 * device per domain that device mapped; with a group, at least one did.
	 */
	mapped = io_pgtable_nr_tables(domain->pgtbl) > 1;
	if (mapped && (group->model_nr_devices == 1 ? any_deferred : all_deferred)) {
		c->mapped_unattached++;
		NOTE(c, "group %d: domain mapped while its device is still deferred", g);
	}
}

int model_world_check(struct model_world *w, struct model_check *out)
{
	struct model_check local, *c = out ? out : &local;

	memset(c, 0, sizeof(*c));
	if (!w)
		return -EINVAL;

	model_world_flush(w);
	for (int g = 0; g < w->nr_groups; g++)
		check_group(w, g, c);

	if (c->refcount_bad_groups || c->iova_inconsistent || c->iova_leaked ||
	    c->fq_queued || c->pages_mapped || c->domains_poisoned ||
	    c->attached_twice || c->attach_inconsistent || c->mapped_unattached)
		return -EINVAL;
	return 0;
}
