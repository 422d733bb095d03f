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
 * The device node's mode comes from the dev_mode module parameter (default
 * 0600: only root may open it).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <linux/gmm.h>
#include "internal.h"

static ushort dev_mode = 0600;
module_param(dev_mode, ushort, 0444);
MODULE_PARM_DESC(dev_mode, "mode of the /dev/gmm device node (default 0600)");

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
 * Copies min(caller size, kernel size) bytes.
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
	v->features = GMM_FEATURE_VERSION;
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

static long gmm_dev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	if (_IOC_TYPE(cmd) != GMM_IOC_MAGIC ||
	    _IOC_DIR(cmd) != (_IOC_READ | _IOC_WRITE))
		return -ENOTTY;

	switch (_IOC_NR(cmd)) {
	case _IOC_NR(GMM_IOC_VERSION):
		return gmm_dev_version(cmd, arg);
	default:
		return -ENOTTY;
	}
}

static int gmm_dev_open(struct inode *inode, struct file *file)
{
	return nonseekable_open(inode, file);
}

static int gmm_dev_release(struct inode *inode, struct file *file)
{
	return 0;
}

static const struct file_operations gmm_fops = {
	.owner		= THIS_MODULE,
	.open		= gmm_dev_open,
	.release	= gmm_dev_release,
	.unlocked_ioctl	= gmm_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice gmm_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "gmm",
	.fops	= &gmm_fops,
};

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
