/* drivers/iommu/intel/iommu.c (v5.3: deferred attach) + drivers/iommu/arm/arm-smmu (v6.1: io-pgtable glue) */
#include "model/alloc.h"
#include "model/io-pgtable.h"
#include "model/model-iommu.h"

/*
 * intel_iommu_attach_device(), reduced to what the model checks: the device's
 * priv becomes its domain info and the attach is counted. Under the device's
 * lock, so two CPUs racing through a deferred first map attach once: the
 * loser finds the winner's info for this domain and returns 0.
 */
static int model_attach_dev(struct iommu_domain *domain, struct device *dev)
{
	struct dev_iommu *param = dev->iommu;
	struct device_domain_info *info;
	int ret = 0;

	if (!param)
		return -ENODEV;

	pthread_mutex_lock(&param->lock);
	info = param->priv;
	if (!info || info == DEFER_DEVICE_DOMAIN_INFO) {
		info = model_zalloc_shared(sizeof(*info));
		if (!info) {
			ret = -ENOMEM;
			goto out;
		}
		info->dev = dev;
	} else if (info->domain == domain) {
		goto out;	/* a racing attach got here first */
	}
	info->domain = domain;
	dev->model_attach_count++;
	smp_store_release(&param->priv, info);
out:
	pthread_mutex_unlock(&param->lock);
	return ret;
}

/* intel_iommu_is_attach_deferred(), v5.3 */
static bool model_is_attach_deferred(struct iommu_domain *domain, struct device *dev)
{
	(void)domain;
	return READ_ONCE(dev->iommu->priv) == DEFER_DEVICE_DOMAIN_INFO;
}

/* arm_smmu_map_pages(): straight through to io-pgtable, an indirect call there too */
static int model_map_pages(struct iommu_domain *domain, unsigned long iova,
			   phys_addr_t paddr, size_t pgsize, size_t pgcount,
			   int prot, size_t *mapped)
{
	struct io_pgtable_ops *ops = domain->pgtbl;

	return ops->map_pages(ops, iova, paddr, pgsize, pgcount, prot, mapped);
}

/* arm_smmu_unmap_pages(); the range goes into the gather for iotlb_sync */
static size_t model_unmap_pages(struct iommu_domain *domain, unsigned long iova,
				size_t pgsize, size_t pgcount,
				struct iommu_iotlb_gather *gather)
{
	struct io_pgtable_ops *ops = domain->pgtbl;
	size_t unmapped = ops->unmap_pages(ops, iova, pgsize, pgcount);

	if (unmapped)
		iommu_iotlb_gather_add_range(gather, iova, unmapped);
	return unmapped;
}

/*
 * One invalidation, submitted and waited for. The VT-d driver's
 * qi_submit_sync() queues its descriptors under qi->q_lock and polls for the
 * wait descriptor, dropping and retaking q_lock around each cpu_relax(); the
 * hardware drains the queue in order, so invalidations complete one after
 * another either way. The model holds cmdq_lock for the whole modelled
 * hardware time: the same serialisation, with fewer lock round trips than
 * the kernel's poll loop (so slightly less lock-line traffic).
 */
static void model_invalidate(struct model_iommu *iommu, unsigned long *done)
{
	uint64_t start;

	spin_lock(&iommu->cmdq_lock);
	/* the hardware's time from submission to the wait descriptor's status write */
	start = get_cycles();
	while (get_cycles() - start < iommu->inv_ticks)
		cpu_relax();
	(*done)++;
	spin_unlock(&iommu->cmdq_lock);
}

/* intel_iommu_tlb_sync() / arm_smmu_iotlb_sync(): strict mode, one per unmap */
static void model_iotlb_sync(struct iommu_domain *domain, struct iommu_iotlb_gather *gather)
{
	struct model_iommu *iommu = domain->iommu;

	if (gather->start > gather->end)	/* nothing was unmapped */
		return;
	model_invalidate(iommu, &iommu->nr_iotlb_sync);
}

/* intel_flush_iotlb_all(): lazy mode's one global invalidation per flush-queue flush */
static void model_flush_iotlb_all(struct iommu_domain *domain)
{
	struct model_iommu *iommu = domain->iommu;

	model_invalidate(iommu, &iommu->nr_flush_all);
}

static phys_addr_t model_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova)
{
	struct io_pgtable_ops *ops = domain->pgtbl;

	return ops->iova_to_phys(ops, iova);
}

const struct iommu_ops model_iommu_ops = {
	.attach_dev		= model_attach_dev,
	.map_pages		= model_map_pages,
	.unmap_pages		= model_unmap_pages,
	.flush_iotlb_all	= model_flush_iotlb_all,
	.iotlb_sync		= model_iotlb_sync,
	.iova_to_phys		= model_iova_to_phys,
	.is_attach_deferred	= model_is_attach_deferred,
	.pgsize_bitmap		= PAGE_SIZE,
};

struct model_iommu *model_iommu_create(uint64_t inv_ticks)
{
	struct model_iommu *iommu = model_zalloc_shared(sizeof(*iommu));

	if (!iommu)
		return NULL;
	spin_lock_init(&iommu->cmdq_lock);
	iommu->inv_ticks = inv_ticks;
	return iommu;
}

void model_iommu_destroy(struct model_iommu *iommu)
{
	model_free_shared(iommu, sizeof(*iommu));
}

struct iommu_domain *model_iommu_domain_alloc(struct model_iommu *iommu, unsigned int type)
{
	struct iommu_domain *domain;

	if (!iommu || (type != IOMMU_DOMAIN_DMA && type != IOMMU_DOMAIN_DMA_FQ))
		return NULL;
	domain = model_zalloc_shared(sizeof(*domain));
	if (!domain)
		return NULL;
	domain->pgtbl = alloc_io_pgtable_ops();
	if (!domain->pgtbl) {
		model_free_shared(domain, sizeof(*domain));
		return NULL;
	}
	domain->type = type;
	domain->ops = &model_iommu_ops;
	domain->pgsize_bitmap = model_iommu_ops.pgsize_bitmap;
	domain->iommu = iommu;
	domain->geometry.aperture_start = 0;
	domain->geometry.aperture_end = (1ULL << IO_PGTABLE_IAS) - 1;
	domain->geometry.force_aperture = true;
	domain->magic = DOMAIN_MAGIC;
	return domain;
}

void model_iommu_domain_free(struct iommu_domain *domain)
{
	if (!domain)
		return;
	free_io_pgtable_ops(domain->pgtbl);
	domain->pgtbl = NULL;
	/* a reader that still holds the pointer (an rcu bug) sees the poison */
	WRITE_ONCE(domain->magic, DOMAIN_POISON);
	model_free_shared(domain, sizeof(*domain));
}

int model_iommu_probe_device(struct device *dev, bool defer)
{
	struct dev_iommu *param;

	param = model_zalloc_shared(sizeof(*param));
	if (!param)
		return -ENOMEM;
	pthread_mutex_init(&param->lock, NULL);
	if (defer) {
		param->attach_deferred = 1;
		param->priv = DEFER_DEVICE_DOMAIN_INFO;
	}
	dev->iommu = param;
	return 0;
}

void model_iommu_release_device(struct device *dev)
{
	struct dev_iommu *param = dev->iommu;

	if (!param)
		return;
	if (param->priv && param->priv != DEFER_DEVICE_DOMAIN_INFO)
		model_free_shared(param->priv, sizeof(struct device_domain_info));
	pthread_mutex_destroy(&param->lock);
	model_free_shared(param, sizeof(*param));
	dev->iommu = NULL;
}

unsigned long model_iommu_nr_invalidations(struct model_iommu *iommu)
{
	unsigned long n;

	spin_lock(&iommu->cmdq_lock);
	n = iommu->nr_iotlb_sync + iommu->nr_flush_all;
	spin_unlock(&iommu->cmdq_lock);
	return n;
}
