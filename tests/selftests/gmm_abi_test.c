// SPDX-License-Identifier: GPL-2.0
/*
 * gmm_abi_test.c - the rules every /dev/gmm command follows (see the top of
 * include/uapi/linux/gmm.h): GMM_IOC_VERSION, command numbers, struct
 * sizes taken from the command number (short: -EINVAL, longer: accepted
 * with a zero tail, -E2BIG otherwise), unknown flags, bad argument
 * pointers.  The generic rules run once per command (fixture variants),
 * each rule its own test.
 *
 * Needs gmm.ko loaded; skips when /dev/gmm is missing.
 */
#include <stddef.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "gmm_util.h"

/* The largest struct size a command number can carry (14 bits). */
#define IOC_SIZE_MAX	((1U << _IOC_SIZEBITS) - 1)

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	ST_OPEN_OR_SKIP(self->fd);
}

FIXTURE_TEARDOWN(dev)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(dev, version)
{
	struct gmm_version v;

	memset(&v, 0, sizeof(v));
	ASSERT_EQ(0, ioctl(self->fd, GMM_IOC_VERSION, &v));
	EXPECT_EQ((__u32)GMM_ABI_MAJOR, v.abi_major);
	EXPECT_EQ((__u32)GMM_ABI_MINOR, v.abi_minor);
	EXPECT_TRUE(v.features & GMM_FEATURE_VERSION);
	EXPECT_EQ(8192U, v.page_size);
	EXPECT_EQ(32768U, v.max_small_size);
	EXPECT_EQ(68U, v.num_size_classes);
	EXPECT_EQ(0, v.module_version[sizeof(v.module_version) - 1]);
	EXPECT_LT(0U, strlen(v.module_version));
}

/* ABI 1.1 implements every command this header defines. */
TEST_F(dev, version_features_of_abi_1_1)
{
	struct gmm_version v;
	__u64 all = GMM_FEATURE_VERSION | GMM_FEATURE_HEAP |
		    GMM_FEATURE_BATCH | GMM_FEATURE_SNAPSHOT;

	memset(&v, 0, sizeof(v));
	ASSERT_EQ(0, ioctl(self->fd, GMM_IOC_VERSION, &v));
	ASSERT_EQ(1U, v.abi_major);
	ASSERT_LE(1U, v.abi_minor);
	EXPECT_EQ(all, v.features & all) TH_LOG("features %#llx",
						(unsigned long long)v.features);
}

/* Output-only fields carry no input: garbage in them is overwritten. */
TEST_F(dev, version_output_fields_overwritten)
{
	struct gmm_version v;

	memset(&v, 0xff, sizeof(v));
	v.flags = 0;
	ASSERT_EQ(0, ioctl(self->fd, GMM_IOC_VERSION, &v));
	EXPECT_EQ((__u32)GMM_ABI_MAJOR, v.abi_major);
	EXPECT_EQ(8192U, v.page_size);
	EXPECT_EQ(0, v.module_version[sizeof(v.module_version) - 1]);
}

TEST_F(dev, unknown_command_nr)
{
	char buf[64] = { 0 };
	unsigned int nr[] = { 0x08, 0x09, 0x10, 0x7f, 0x80, 0xff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nr); i++) {
		EXPECT_EQ(-ENOTTY,
			  st_ioctl(self->fd, _IOC(_IOC_READ | _IOC_WRITE,
						   GMM_IOC_MAGIC, nr[i],
						   sizeof(buf)), buf))
			TH_LOG("command nr %#x", nr[i]);
	}
}

TEST_F(dev, not_seekable)
{
	EXPECT_EQ(-1, lseek(self->fd, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
}

TEST_F(dev, read_write_not_supported)
{
	char buf[8] = { 0 };

	EXPECT_EQ(-1, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(-1, write(self->fd, buf, sizeof(buf)));
}

TEST(device_node_mode_0600_root)
{
	struct stat st;

	if (stat(ST_DEV, &st) && errno == ENOENT)
		SKIP(return, ST_DEV " missing: load gmm.ko first");
	ASSERT_EQ(0, stat(ST_DEV, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(0U, st.st_uid);
	EXPECT_EQ(0U, st.st_gid);
}

/*
 * The generic rules, once per command.  fill() writes a valid argument
 * (it may set up objects with fd); the struct's flags word is at
 * flags_off, and bad_flag is a bit the command does not know.
 */
static void fill_version(int fd, void *arg)
{
	(void)fd;
	memset(arg, 0, sizeof(struct gmm_version));
}

static void fill_params(int fd, void *arg)
{
	(void)fd;
	memset(arg, 0, sizeof(struct gmm_params));
}

static void fill_type_create(int fd, void *arg)
{
	struct gmm_type_create *t = arg;

	(void)fd;
	memset(t, 0, sizeof(*t));
	t->size = 16;
	strcpy(t->name, "abi");
}

static void fill_op(int fd, void *arg)
{
	struct gmm_op *op = arg;

	(void)fd;
	memset(op, 0, sizeof(*op));
	op->op = GMM_OP_ALLOC;
	op->len = 64;
}

static struct gmm_op batch_ops[2];

static void fill_batch(int fd, void *arg)
{
	struct gmm_batch *b = arg;

	(void)fd;
	memset(batch_ops, 0, sizeof(batch_ops));
	batch_ops[0].op = GMM_OP_ALLOC;
	batch_ops[0].len = 32;
	batch_ops[1].op = GMM_OP_NOP;
	memset(b, 0, sizeof(*b));
	b->count = 2;
	b->ops = st_ptr(batch_ops);
	b->op_size = sizeof(struct gmm_op);
}

static void fill_stats(int fd, void *arg)
{
	struct gmm_stats *s = arg;

	(void)fd;
	memset(s, 0, sizeof(*s));
	s->class_size = sizeof(struct gmm_class_info);
}

static void fill_spans(int fd, void *arg)
{
	struct gmm_spans *s = arg;

	(void)fd;
	memset(s, 0, sizeof(*s));
	s->arena_size = sizeof(struct gmm_arena_info);
	s->span_size = sizeof(struct gmm_span_info);
}

static void fill_cycles(int fd, void *arg)
{
	struct gmm_cycles *c = arg;

	(void)fd;
	memset(c, 0, sizeof(*c));
	c->cycle_size = sizeof(struct gmm_cycle_info);
}

FIXTURE(cmd) {
	int fd;
	/* Room for the largest struct a command number can describe. */
	unsigned char buf[IOC_SIZE_MAX + 1];
};

FIXTURE_VARIANT(cmd) {
	unsigned int nr;
	size_t size;		/* the struct of this ABI */
	size_t min_size;	/* its first published version */
	size_t flags_off;
	__u32 bad_flag;		/* lowest flag bit the command does not know */
	void (*fill)(int fd, void *arg);
};

FIXTURE_VARIANT_ADD(cmd, version) {
	.nr = 0x00, .size = sizeof(struct gmm_version),
	.min_size = sizeof(struct gmm_version),
	.flags_off = offsetof(struct gmm_version, flags), .bad_flag = 1,
	.fill = fill_version,
};

FIXTURE_VARIANT_ADD(cmd, params) {
	.nr = 0x01, .size = sizeof(struct gmm_params),
	.min_size = sizeof(struct gmm_params),
	.flags_off = offsetof(struct gmm_params, flags), .bad_flag = 1 << 2,
	.fill = fill_params,
};

FIXTURE_VARIANT_ADD(cmd, type_create) {
	.nr = 0x02, .size = sizeof(struct gmm_type_create),
	.min_size = sizeof(struct gmm_type_create),
	.flags_off = offsetof(struct gmm_type_create, flags), .bad_flag = 1,
	.fill = fill_type_create,
};

FIXTURE_VARIANT_ADD(cmd, op) {
	.nr = 0x03, .size = sizeof(struct gmm_op),
	.min_size = sizeof(struct gmm_op),
	.flags_off = offsetof(struct gmm_op, flags), .bad_flag = 1,
	.fill = fill_op,
};

FIXTURE_VARIANT_ADD(cmd, batch) {
	.nr = 0x04, .size = sizeof(struct gmm_batch),
	.min_size = sizeof(struct gmm_batch),
	.flags_off = offsetof(struct gmm_batch, flags), .bad_flag = 1,
	.fill = fill_batch,
};

FIXTURE_VARIANT_ADD(cmd, stats) {
	.nr = 0x05, .size = sizeof(struct gmm_stats),
	.min_size = sizeof(struct gmm_stats),
	.flags_off = offsetof(struct gmm_stats, flags), .bad_flag = 1,
	.fill = fill_stats,
};

FIXTURE_VARIANT_ADD(cmd, spans) {
	.nr = 0x06, .size = sizeof(struct gmm_spans),
	.min_size = sizeof(struct gmm_spans),
	.flags_off = offsetof(struct gmm_spans, flags), .bad_flag = 1,
	.fill = fill_spans,
};

FIXTURE_VARIANT_ADD(cmd, cycles) {
	.nr = 0x07, .size = sizeof(struct gmm_cycles),
	.min_size = sizeof(struct gmm_cycles),
	.flags_off = offsetof(struct gmm_cycles, flags), .bad_flag = 1,
	.fill = fill_cycles,
};

FIXTURE_SETUP(cmd)
{
	ST_OPEN_OR_SKIP(self->fd);
	memset(self->buf, 0, sizeof(self->buf));
	variant->fill(self->fd, self->buf);
}

FIXTURE_TEARDOWN(cmd)
{
	if (self->fd >= 0)
		close(self->fd);
}

static unsigned long cmd_of(unsigned int dir, unsigned int type,
			    unsigned int nr, size_t size)
{
	return _IOC(dir, type, nr, size);
}

#define RW	(_IOC_READ | _IOC_WRITE)

/* Put @flags in the flags word at @off of the argument in @buf. */
static void set_flags(unsigned char *buf, size_t off, __u32 flags)
{
	memcpy(buf + off, &flags, sizeof(flags));
}

/* The control: the argument fill() made is accepted. */
TEST_F(cmd, valid_argument)
{
	EXPECT_EQ(0, st_ioctl(self->fd, cmd_of(RW, GMM_IOC_MAGIC, variant->nr,
						variant->size), self->buf));
}

TEST_F(cmd, short_struct)
{
	EXPECT_EQ(-EINVAL,
		  st_ioctl(self->fd, cmd_of(RW, GMM_IOC_MAGIC, variant->nr,
					     variant->min_size - 4),
			    self->buf));
}

TEST_F(cmd, one_byte_short)
{
	EXPECT_EQ(-EINVAL,
		  st_ioctl(self->fd, cmd_of(RW, GMM_IOC_MAGIC, variant->nr,
					     variant->min_size - 1),
			    self->buf));
}

TEST_F(cmd, zero_size)
{
	EXPECT_EQ(-EINVAL, st_ioctl(self->fd,
				    cmd_of(RW, GMM_IOC_MAGIC, variant->nr, 0),
				    self->buf));
}

TEST_F(cmd, long_struct_zero_tail)
{
	size_t len = variant->size + 8;

	ASSERT_EQ(0, st_ioctl(self->fd, cmd_of(RW, GMM_IOC_MAGIC, variant->nr,
						len), self->buf));
	/* Only min(caller, kernel) bytes come back: the tail stays zero. */
	EXPECT_EQ(0, self->buf[variant->size]);
	EXPECT_EQ(0, self->buf[len - 1]);
}

TEST_F(cmd, longest_struct_zero_tail)
{
	/* Mark the byte after the caller's struct: it must stay as it is. */
	self->buf[IOC_SIZE_MAX] = 0xa5;
	ASSERT_EQ(0, st_ioctl(self->fd, cmd_of(RW, GMM_IOC_MAGIC, variant->nr,
						IOC_SIZE_MAX), self->buf));
	EXPECT_EQ(0, self->buf[IOC_SIZE_MAX - 1]);
	EXPECT_EQ(0xa5, self->buf[IOC_SIZE_MAX]);
}

TEST_F(cmd, long_struct_nonzero_tail_first_byte)
{
	self->buf[variant->size] = 1;
	EXPECT_EQ(-E2BIG,
		  st_ioctl(self->fd, cmd_of(RW, GMM_IOC_MAGIC, variant->nr,
					     variant->size + 8), self->buf));
}

TEST_F(cmd, long_struct_nonzero_tail_last_byte)
{
	self->buf[variant->size + 7] = 0x80;
	EXPECT_EQ(-E2BIG,
		  st_ioctl(self->fd, cmd_of(RW, GMM_IOC_MAGIC, variant->nr,
					     variant->size + 8), self->buf));
}

TEST_F(cmd, longest_struct_nonzero_tail)
{
	self->buf[IOC_SIZE_MAX - 1] = 1;
	EXPECT_EQ(-E2BIG,
		  st_ioctl(self->fd, cmd_of(RW, GMM_IOC_MAGIC, variant->nr,
					     IOC_SIZE_MAX), self->buf));
}

TEST_F(cmd, wrong_magic)
{
	EXPECT_EQ(-ENOTTY,
		  st_ioctl(self->fd, cmd_of(RW, GMM_IOC_MAGIC ^ 0x01,
					     variant->nr, variant->size),
			    self->buf));
}

TEST_F(cmd, wrong_magic_zero)
{
	EXPECT_EQ(-ENOTTY,
		  st_ioctl(self->fd, cmd_of(RW, 0, variant->nr, variant->size),
			   self->buf));
}

TEST_F(cmd, direction_read_only)
{
	EXPECT_EQ(-ENOTTY,
		  st_ioctl(self->fd, cmd_of(_IOC_READ, GMM_IOC_MAGIC,
					     variant->nr, variant->size),
			    self->buf));
}

TEST_F(cmd, direction_write_only)
{
	EXPECT_EQ(-ENOTTY,
		  st_ioctl(self->fd, cmd_of(_IOC_WRITE, GMM_IOC_MAGIC,
					     variant->nr, variant->size),
			    self->buf));
}

TEST_F(cmd, direction_none)
{
	EXPECT_EQ(-ENOTTY,
		  st_ioctl(self->fd, cmd_of(_IOC_NONE, GMM_IOC_MAGIC,
					     variant->nr, 0), self->buf));
}

TEST_F(cmd, null_argument)
{
	EXPECT_EQ(-EFAULT, st_ioctl(self->fd, cmd_of(RW, GMM_IOC_MAGIC,
						      variant->nr,
						      variant->size), NULL));
}

TEST_F(cmd, low_address_argument)
{
	EXPECT_EQ(-EFAULT, st_ioctl(self->fd, cmd_of(RW, GMM_IOC_MAGIC,
						      variant->nr,
						      variant->size),
				     (void *)8));
}

TEST_F(cmd, kernel_address_argument)
{
	EXPECT_EQ(-EFAULT, st_ioctl(self->fd, cmd_of(RW, GMM_IOC_MAGIC,
						      variant->nr,
						      variant->size),
				     (void *)0xffffffff81000000UL));
}

TEST_F(cmd, unmapped_argument)
{
	void *p = st_unmapped_addr();

	ASSERT_NE(NULL, p);
	EXPECT_EQ(-EFAULT, st_ioctl(self->fd, cmd_of(RW, GMM_IOC_MAGIC,
						      variant->nr,
						      variant->size), p));
}

TEST_F(cmd, prot_none_argument)
{
	void *p = st_prot_none_addr();

	ASSERT_NE(NULL, p);
	EXPECT_EQ(-EFAULT, st_ioctl(self->fd, cmd_of(RW, GMM_IOC_MAGIC,
						      variant->nr,
						      variant->size), p));
}

/* The struct's end lies in an unmapped page. */
TEST_F(cmd, argument_straddles_unmapped_page)
{
	void *p = st_straddle_addr(variant->size, 4);

	ASSERT_NE(NULL, p);
	memcpy(p, self->buf, variant->size - 4);
	EXPECT_EQ(-EFAULT, st_ioctl(self->fd, cmd_of(RW, GMM_IOC_MAGIC,
						      variant->nr,
						      variant->size), p));
}

/* Readable but not writable: the answer cannot be copied back. */
TEST_F(cmd, read_only_argument)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	memcpy(p, self->buf, variant->size);
	ASSERT_EQ(0, mprotect(p, pg, PROT_READ));
	EXPECT_EQ(-EFAULT, st_ioctl(self->fd, cmd_of(RW, GMM_IOC_MAGIC,
						      variant->nr,
						      variant->size), p));
}

TEST_F(cmd, unknown_flag)
{
	set_flags(self->buf, variant->flags_off, variant->bad_flag);
	EXPECT_EQ(-EINVAL,
		  st_ioctl(self->fd, cmd_of(RW, GMM_IOC_MAGIC, variant->nr,
					     variant->size), self->buf));
}

TEST_F(cmd, flag_bit_31)
{
	set_flags(self->buf, variant->flags_off, 1U << 31);
	EXPECT_EQ(-EINVAL,
		  st_ioctl(self->fd, cmd_of(RW, GMM_IOC_MAGIC, variant->nr,
					     variant->size), self->buf));
}

TEST_F(cmd, all_flags)
{
	set_flags(self->buf, variant->flags_off, ~0U);
	EXPECT_EQ(-EINVAL,
		  st_ioctl(self->fd, cmd_of(RW, GMM_IOC_MAGIC, variant->nr,
					     variant->size), self->buf));
}

/* A rejected command leaves the caller's struct as it was. */
TEST_F(cmd, rejected_struct_untouched)
{
	unsigned char copy[512];

	ASSERT_LE(variant->size, sizeof(copy));
	set_flags(self->buf, variant->flags_off, 1U << 31);
	memcpy(copy, self->buf, variant->size);
	ASSERT_EQ(-EINVAL,
		  st_ioctl(self->fd, cmd_of(RW, GMM_IOC_MAGIC, variant->nr,
					     variant->size), self->buf));
	EXPECT_EQ(0, memcmp(copy, self->buf, variant->size));
}

TEST_HARNESS_MAIN
