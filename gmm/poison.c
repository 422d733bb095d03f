// SPDX-License-Identifier: GPL-2.0
/*
 * poison.c - catching writes to objects the collector has freed (module
 * parameter debug_poison, off by default), after slub_debug's poisoning.
 *
 * A client that keeps a pointer outside every root, and writes through it
 * after the collector freed the object, corrupts whatever object gets the
 * slot next.  With poisoning on, the sweeper fills every free slot of a
 * small span it sweeps with GMM_POISON_FREE (gmm_poison_span()), and the
 * allocator checks the pattern when it hands such a slot out again, before
 * clearing it (gmm_poison_check()): a byte that changed is reported with
 * the heap, the span, its size class, the slot and the type of the object
 * the slot held last, and a hex dump of the slot, like slub_debug's
 * "Poison overwritten".  The report is a pr_err(), counted in
 * heap->poison_errors; the slot is then cleared and handed out as usual.
 *
 * Costs: the sweeper touches every free slot (normally it touches no
 * object memory), and every allocation from a swept span reads its slot.
 * Large objects go back to the page heap whole and are not poisoned.
 *
 * KASAN: on a kernel with generic KASAN whose kasan_poison() is exported
 * (the debug kernel's 6.1; compat.h), the free slots
 * are also marked in KASAN's shadow as freed slab memory, so the first
 * access through a stale pointer - a read as well as a write - is reported
 * at once as a use-after-free with its stack, instead of at the slot's
 * next allocation.  The allocator makes a slot addressable again before it
 * checks it (gmm_poison_check()), and a span going back to the page heap
 * is made addressable whole (gmm_poison_span_free()).  Without such a
 * kernel only the pattern is checked.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/string.h>

#include "compat.h"
#include "heap.h"
#include "internal.h"
#include "poison.h"
#include "span.h"
#include "type.h"

/* KASAN's shadow value of freed slab objects (KASAN_SLAB_FREE, mm/kasan). */
#define GMM_KASAN_FREE		0xFB

/*
 * Slots are multiples of 8 bytes at 8-byte aligned addresses, KASAN's
 * granule, so the shadow covers exactly the slot.
 */
static void gmm_kasan_hide(void *p, size_t size)
{
	if (GMM_HAVE_KASAN_POISON)
		gmm_kasan_poison(p, size, GMM_KASAN_FREE);
}

static void gmm_kasan_show(void *p, size_t size)
{
	if (GMM_HAVE_KASAN_POISON)
		gmm_kasan_poison(p, size, 0);
}

/**
 * gmm_poison_kasan() - whether free slots are also poisoned for KASAN
 *
 * Any context.
 *
 * Return: true on a kernel where poison.c reaches KASAN's shadow.
 */
bool gmm_poison_kasan(void)
{
	return GMM_HAVE_KASAN_POISON;
}

GMM_EXPORT_FOR_TESTING(gmm_poison_kasan);

bool gmm_debug_poison;
module_param_named(debug_poison, gmm_debug_poison, bool, 0444);
MODULE_PARM_DESC(debug_poison,
		 "fill slots the collector frees with 0x6b and check them when they are allocated again (debugging; off)");

/**
 * gmm_poison_span() - poison the free slots of a span just swept
 * @h: the heap, with poisoning on
 * @s: a small span its sweeper owns, with its new alloc_bits
 *
 * Process context; does not sleep.
 */
void gmm_poison_span(struct gmm_heap *h, struct gmm_span *s)
{
	unsigned int i;

	for_each_clear_bit(i, s->alloc_bits, s->nelems) {
		void *p = (void *)(s->base + (unsigned long)i * s->elemsize);

		/* It may be hidden since an earlier sweep. */
		gmm_kasan_show(p, s->elemsize);
		memset(p, GMM_POISON_FREE, s->elemsize);
		gmm_kasan_hide(p, s->elemsize);
	}
	s->poisoned = 1;
	s->needzero = 1;
}

/* Report an overwritten free slot, slub_debug style. */
static void gmm_poison_report(struct gmm_heap *h, struct gmm_span *s,
			      unsigned int idx, const u8 *p, unsigned int at)
{
	const struct gmm_type *t = NULL;

	if (s->slot_types)
		t = gmm_type_by_id(h, READ_ONCE(s->slot_types[idx]));
	pr_err("heap %s-%u: poison overwritten: slot %u of the span at arena %u page %u (size class %u, %u bytes, last type %s): byte %u is %#04x, not %#04x - a write after the collector freed the object\n",
	       h->name, h->id, idx, s->arena->id, s->first_page,
	       gmm_spanclass_sizeclass(s->spanclass), s->elemsize,
	       t ? t->name : "none", at, p[at], GMM_POISON_FREE);
	print_hex_dump(KERN_ERR, "gmm: slot: ", DUMP_PREFIX_OFFSET, 16, 1, p,
		       min_t(u32, s->elemsize, 128), false);
	atomic_long_inc(&h->poison_errors);
}

/**
 * gmm_poison_check() - check a poisoned slot about to be handed out
 * @h: the heap
 * @s: the span, with @s->poisoned
 * @idx: the slot
 *
 * Process context, the slot the caller's; does not sleep.
 *
 * Return: true when the slot was intact.
 */
bool gmm_poison_check(struct gmm_heap *h, struct gmm_span *s,
		      unsigned int idx)
{
	u8 *p = (u8 *)(s->base + (unsigned long)idx * s->elemsize);
	const u8 *bad;

	gmm_kasan_show(p, s->elemsize);
	bad = memchr_inv(p, GMM_POISON_FREE, s->elemsize);
	if (likely(!bad))
		return true;
	gmm_poison_report(h, s, idx, p, bad - p);
	return false;
}

GMM_EXPORT_FOR_TESTING(gmm_poison_check);

/**
 * gmm_poison_span_free() - make a poisoned span's memory addressable again
 * @s: a small span about to go back to the page heap
 *
 * Process context; does not sleep.
 */
void gmm_poison_span_free(struct gmm_span *s)
{
	if (s->poisoned)
		gmm_kasan_show((void *)s->base,
			       (size_t)s->npages << GMM_PAGE_SHIFT);
}
