// SPDX-License-Identifier: GPL-2.0
/*
 * dev.c - the /dev/gmm misc device.
 *
 * User space drives gmm through ioctls on /dev/gmm.  This file is a thin
 * layer: it copies arguments in and out following the rules written at the
 * top of include/uapi/linux/gmm.h (size taken from the command number,
 * unknown trailing bytes must be zero, reserved fields and unknown flags are
 * -EINVAL, unknown commands -ENOTTY), validates them, and calls the in-kernel
 * API.  No kernel address is ever copied out.
 *
 * Every open file owns a private heap (struct gmm_file in dev.h), made at
 * open and destroyed at the last close, which gives every page back.  While
 * a file is open the module is pinned (fops.owner), so rmmod fails with
 * -EBUSY.  Commands on objects are in ops.c, snapshots in snapshot.c.
 *
 * The device node's mode comes from the dev_mode module parameter (default
 * 0600: only root may open it).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/compat.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>
#include <linux/xarray.h>

#include <linux/gmm.h>
#include "batch.h"
#include "dev.h"
#include "events.h"
#include "heap.h"
#include "internal.h"
#include "memcg.h"
#include "objects.h"
#include "ops.h"
#include "pagelimit.h"
#include "snapshot.h"

static ushort dev_mode = 0600;
module_param(dev_mode, ushort, 0444);
MODULE_PARM_DESC(dev_mode, "mode of the /dev/gmm device node (default 0600)");

/*
 * Heaps per user.  Every open file costs a heap: kernel memory, debugfs
 * files and (until the collector's workers are shared) a kernel thread.
 * Memory is charged to the opener's cgroup, the thread is not, so the
 * number of heaps one user may hold is capped, like RLIMIT_NPROC: counted
 * per real uid, CAP_SYS_RESOURCE exempt, -EMFILE beyond the cap.
 */
#define GMM_HEAPS_PER_USER_DEFAULT	64U

static unsigned int max_heaps_per_user = GMM_HEAPS_PER_USER_DEFAULT;
module_param(max_heaps_per_user, uint, 0644);
MODULE_PARM_DESC(max_heaps_per_user,
		 "most open files of /dev/gmm (heaps) one user may hold; CAP_SYS_RESOURCE is exempt (0 = default, 64)");

static DEFINE_MUTEX(gmm_users_lock);
static DEFINE_XARRAY(gmm_users);	/* real uid -> heaps (value entries) */

/* Count one more heap for @uid; -EMFILE over the cap, -ENOMEM. */
static int gmm_user_charge(uid_t uid, bool exempt)
{
	unsigned int max = READ_ONCE(max_heaps_per_user) ?: GMM_HEAPS_PER_USER_DEFAULT;
	unsigned long n;
	void *old;
	int ret = 0;

	mutex_lock(&gmm_users_lock);
	old = xa_load(&gmm_users, uid);
	n = old ? xa_to_value(old) : 0;
	if (n >= max && !exempt)
		ret = -EMFILE;
	else
		ret = xa_err(xa_store(&gmm_users, uid, xa_mk_value(n + 1),
				      GFP_KERNEL_ACCOUNT));
	mutex_unlock(&gmm_users_lock);
	return ret;
}

static void gmm_user_uncharge(uid_t uid)
{
	unsigned long n;
	void *old;

	mutex_lock(&gmm_users_lock);
	old = xa_load(&gmm_users, uid);
	n = old ? xa_to_value(old) : 0;
	if (WARN_ON_ONCE(!n) || n == 1)
		xa_erase(&gmm_users, uid);
	else
		xa_store(&gmm_users, uid, xa_mk_value(n - 1), GFP_KERNEL);
	mutex_unlock(&gmm_users_lock);
}

/**
 * gmm_copy_arg_in() - copy an ioctl argument struct from user space
 * @karg: kernel copy of the struct
 * @ksize: size of the struct this module knows
 * @min_size: size of the first published version of the struct
 * @cmd: ioctl command; its size field is the caller's struct size
 * @arg: user pointer to the struct
 *
 * Return: 0, -EINVAL for a struct shorter than @min_size, -E2BIG when the
 * caller's struct is longer and the extra bytes are not zero, -EFAULT.
 */
long gmm_copy_arg_in(void *karg, size_t ksize, size_t min_size,
		     unsigned int cmd, unsigned long arg)
{
	size_t usize = _IOC_SIZE(cmd);

	if (usize < min_size)
		return -EINVAL;
	return copy_struct_from_user(karg, ksize, (void __user *)arg, usize);
}

GMM_EXPORT_FOR_TESTING(gmm_copy_arg_in);

/**
 * gmm_copy_arg_out() - copy an ioctl result back to user space
 * @arg: user pointer to the caller's struct
 * @cmd: ioctl command; its size field is the caller's struct size
 * @karg: kernel copy of the struct
 * @ksize: size of the kernel struct
 *
 * Copies min(caller size, kernel size) bytes.  Called with the struct as
 * gmm_copy_arg_in() read it, before a command changes anything, it checks
 * that the answer will get out: a command that cannot undo what it did
 * must not fail after doing it.
 *
 * Return: 0 or -EFAULT.
 */
long gmm_copy_arg_out(unsigned long arg, unsigned int cmd,
		      const void *karg, size_t ksize)
{
	size_t n = min_t(size_t, _IOC_SIZE(cmd), ksize);

	if (copy_to_user((void __user *)arg, karg, n))
		return -EFAULT;
	return 0;
}

GMM_EXPORT_FOR_TESTING(gmm_copy_arg_out);

/**
 * gmm_ioctl_version() - fill in the answer to GMM_IOC_VERSION
 * @v: the caller's request; only @v->flags is input
 *
 * Return: 0, or -EINVAL when @v->flags has a bit set.
 */
int gmm_ioctl_version(struct gmm_version *v)
{
	if (v->flags)
		return -EINVAL;
	memset(v, 0, sizeof(*v));
	v->abi_major = GMM_ABI_MAJOR;
	v->abi_minor = GMM_ABI_MINOR;
	v->features = GMM_FEATURE_VERSION | GMM_FEATURE_HEAP |
		      GMM_FEATURE_BATCH | GMM_FEATURE_SNAPSHOT |
		      GMM_FEATURE_BATCH_LINK | GMM_FEATURE_WEAK;
	v->features |= GMM_FEATURE_OBJECTS | GMM_FEATURE_STEP |
		       GMM_FEATURE_CLEANUP | GMM_FEATURE_OP_IMM |
		       GMM_FEATURE_OP_INTO;
	v->page_size = GMM_PAGE_SIZE;
	v->max_small_size = GMM_MAX_SMALL_SIZE;
	v->num_size_classes = GMM_NUM_SIZE_CLASSES;
	strscpy(v->module_version, GMM_VERSION, sizeof(v->module_version));
	return 0;
}

GMM_EXPORT_FOR_TESTING(gmm_ioctl_version);

static long gmm_dev_version(unsigned int cmd, unsigned long arg)
{
	struct gmm_version v;
	long ret;

	ret = gmm_copy_arg_in(&v, sizeof(v), sizeof(v), cmd, arg);
	if (ret)
		return ret;
	ret = gmm_ioctl_version(&v);
	if (ret)
		return ret;
	return gmm_copy_arg_out(arg, cmd, &v, sizeof(v));
}

/* Largest GOGC accepted from user space. */
#define GMM_UAPI_GC_PERCENT_MAX	10000

static long gmm_dev_params(struct gmm_file *f, unsigned int cmd,
			   unsigned long arg)
{
	struct gmm_heap *h = f->heap;
	struct gmm_params p;
	long ret;

	ret = gmm_copy_arg_in(&p, sizeof(p), sizeof(p), cmd, arg);
	if (ret)
		return ret;
	if (p.flags & ~(GMM_PARAMS_SET_GC_PERCENT | GMM_PARAMS_SET_MEMORY_LIMIT) ||
	    p.reserved[0] || p.reserved[1])
		return -EINVAL;
	if (p.flags & GMM_PARAMS_SET_GC_PERCENT &&
	    p.gc_percent != -1 &&
	    (p.gc_percent < 1 || p.gc_percent > GMM_UAPI_GC_PERCENT_MAX))
		return -EINVAL;
	/*
	 * Validate everything before changing anything, including that the
	 * answer can be copied back: write the struct back as it was read.
	 */
	ret = gmm_copy_arg_out(arg, cmd, &p, sizeof(p));
	if (ret)
		return ret;
	if (p.flags & GMM_PARAMS_SET_GC_PERCENT) {
		/* Returns the previous value (-1 for off) or -EINVAL. */
		ret = gmm_set_gc_percent(h, p.gc_percent);
		if (ret < -1)
			return ret;
	}
	if (p.flags & GMM_PARAMS_SET_MEMORY_LIMIT)
		gmm_set_memory_limit(h, p.memory_limit ?: gmm_heap_default_limit() ?:
				     gmm_memcg_limit_bytes());

	memset(&p, 0, sizeof(p));
	p.gc_percent = READ_ONCE(h->pacer.gc_percent);
	p.memory_limit = READ_ONCE(h->pages.limit_bytes);
	p.total_limit = gmm_pageheap_total_limit();
	return gmm_copy_arg_out(arg, cmd, &p, sizeof(p));
}

static long gmm_dev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct gmm_file *f = file->private_data;

	if (_IOC_TYPE(cmd) != GMM_IOC_MAGIC ||
	    _IOC_DIR(cmd) != (_IOC_READ | _IOC_WRITE))
		return -ENOTTY;

	switch (_IOC_NR(cmd)) {
	case _IOC_NR(GMM_IOC_VERSION):
		return gmm_dev_version(cmd, arg);
	case _IOC_NR(GMM_IOC_PARAMS):
		return gmm_dev_params(f, cmd, arg);
	case _IOC_NR(GMM_IOC_TYPE_CREATE):
		return gmm_ioctl_type_create(f, cmd, arg);
	case _IOC_NR(GMM_IOC_OP):
		return gmm_ioctl_op(f, cmd, arg);
	case _IOC_NR(GMM_IOC_BATCH):
		return gmm_ioctl_batch(f, cmd, arg);
	case _IOC_NR(GMM_IOC_STATS):
		return gmm_ioctl_stats(f, cmd, arg);
	case _IOC_NR(GMM_IOC_SPANS):
		return gmm_ioctl_spans(f, cmd, arg);
	case _IOC_NR(GMM_IOC_CYCLES):
		return gmm_ioctl_cycles(f, cmd, arg);
	/* objects.c, step.c: tri-colour marking made visible */
	case _IOC_NR(GMM_IOC_OBJECTS):
		return gmm_ioctl_objects(f, cmd, arg);
	case _IOC_NR(GMM_IOC_STEP):
		return gmm_ioctl_step(f, cmd, arg);
	default:
		return -ENOTTY;
	}
}

/*
 * Every open file gets a heap of its own, named after the opening process
 * ("pid<tgid>" in debugfs), charged to the opener's memory cgroup.  Its
 * memory limit is heap_limit_mb when set, else the opener's cgroup's
 * memory.max (memcg.c), else none but max_total_mb.
 */
static int gmm_dev_open(struct inode *inode, struct file *file)
{
	struct gmm_heap_params params = {
		.flags = GMM_HEAP_ACCOUNT,
	};
	char name[GMM_HEAP_NAME_LEN];
	struct gmm_file *f;
	int ret;

	ret = nonseekable_open(inode, file);
	if (ret)
		return ret;
	f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f)
		return -ENOMEM;
	f->uid = from_kuid(&init_user_ns, current_uid());
	ret = gmm_user_charge(f->uid, capable(CAP_SYS_RESOURCE));
	if (ret) {
		kfree(f);
		return ret;
	}
	snprintf(name, sizeof(name), "pid%d", task_tgid_nr(current));
	params.name = name;
	params.limit_bytes = gmm_heap_default_limit() ?: gmm_memcg_limit_bytes();
	f->heap = gmm_heap_create(&params);
	if (IS_ERR(f->heap)) {
		ret = PTR_ERR(f->heap);
		gmm_user_uncharge(f->uid);
		kfree(f);
		return ret;
	}
	atomic_long_set(&f->nr_handles, 0);
	gmm_file_events_init(f);
	file->private_data = f;
	return 0;
}

/* The last reference is gone: no ioctl runs, the heap and its pages go. */
static int gmm_dev_release(struct inode *inode, struct file *file)
{
	struct gmm_file *f = file->private_data;

	gmm_heap_destroy(f->heap);	/* runs the cleanups left */
	gmm_batch_release(f);
	gmm_file_events_free(f);
	gmm_user_uncharge(f->uid);
	kfree(f);
	return 0;
}

static const struct file_operations gmm_fops = {
	.owner		= THIS_MODULE,
	.open		= gmm_dev_open,
	.release	= gmm_dev_release,
	.unlocked_ioctl	= gmm_dev_ioctl,
	.read		= gmm_dev_read,
	.poll		= gmm_dev_poll,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice gmm_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "gmm",
	.fops	= &gmm_fops,
};

/* The published sizes: the same on 32- and 64-bit, no implicit padding. */
static_assert(sizeof(struct gmm_version) == 64);
static_assert(sizeof(struct gmm_params) == 40);
static_assert(sizeof(struct gmm_type_create) == 64);
static_assert(sizeof(struct gmm_op) == 48);
static_assert(sizeof(struct gmm_batch) == 32);
static_assert(sizeof(struct gmm_class_info) == 32);
static_assert(sizeof(struct gmm_stats) == 208);
static_assert(sizeof(struct gmm_arena_info) == 16);
static_assert(sizeof(struct gmm_span_info) == 48);
static_assert(sizeof(struct gmm_spans) == 56);
static_assert(sizeof(struct gmm_cycle_info) == 120);
static_assert(sizeof(struct gmm_cycles) == 32);
static_assert(sizeof(struct gmm_cleanup_event) == 16);
static_assert(sizeof(struct gmm_object_info) == 32);
static_assert(sizeof(struct gmm_object_edge) == 16);
static_assert(sizeof(struct gmm_objects) == 80);
static_assert(sizeof(struct gmm_step) == 40);

int gmm_dev_init(void)
{
	if (dev_mode & ~0666) {
		pr_err("dev_mode %#o has bits outside 0666\n", dev_mode);
		return -EINVAL;
	}
	gmm_miscdev.mode = dev_mode;
	return misc_register(&gmm_miscdev);
}

void gmm_dev_exit(void)
{
	misc_deregister(&gmm_miscdev);
}
