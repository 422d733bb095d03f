/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - differences between the kernels gmm builds against, in one place.
 *
 * gmm supports Debian's 6.1 kernel, the project's 6.1 debug kernel and
 * newer kernels (6.12 from Debian backports).  Every interface that changed
 * between them is wrapped here, so the rest of gmm is written once against
 * the names defined below.  Differences are told apart by what the headers
 * define, not by LINUX_VERSION_CODE, so distribution backports work too.
 *
 *  - GMM_MAX_BUDDY_ORDER: the largest order the buddy allocator hands out.
 *    MAX_ORDER was exclusive up to 6.3 (largest order MAX_ORDER - 1),
 *    inclusive from 6.4, and renamed MAX_PAGE_ORDER in 6.8.  The 6.4
 *    change also changed MAX_ORDER_NR_PAGES from 1 << (MAX_ORDER - 1) to
 *    1 << MAX_ORDER, which is what tells the two apart.
 *  - gmm_shrinker_destroy(): a registered shrinker goes.
 *    6.0-6.6 embed struct shrinker in the caller and register it with
 *    register_shrinker(shrinker, fmt, ...); from 6.7 the core allocates it:
 *    shrinker_alloc(), shrinker_register(), shrinker_free() (recognised by
 *    SHRINKER_ALLOCATED, the flag that came with them).
 *  - gmm_shrinker_create_lru(): a memcg- and NUMA-aware shrinker over a
 *    list_lru.  The list needs the shrinker's id: 6.7+ assigns it in
 *    shrinker_alloc(), before registering; 6.1 in register_shrinker(), so
 *    there the list is set up just after and the callbacks must check
 *    that it is ready.
 *  - gmm_list_lru_add() / gmm_list_lru_del(): 6.8 gave list_lru_add() and
 *    list_lru_del() explicit node and memcg arguments and kept the old
 *    behaviour (both taken from the item's memory) as list_lru_add_obj()
 *    and list_lru_del_obj().  list_lru.h defines no macro for it; the
 *    same release renamed MAX_ORDER to MAX_PAGE_ORDER, which tells 6.8+
 *    apart.
 *  - gmm_kasan_poison(): marking memory in generic KASAN's shadow.  6.1's
 *    mm/kasan exports kasan_poison() to every module (for its own tests;
 *    declared only in mm/kasan/kasan.h); a kernel may export it to KUnit's
 *    namespace only, or not at all.  Kbuild reads the kernel's
 *    Module.symvers and defines GMM_KASAN_POISON_EXPORTED when it is
 *    exported to everyone.
 *    Elsewhere (and without KASAN) it does nothing and
 *    GMM_HAVE_KASAN_POISON is 0.
 */
#ifndef _GMM_COMPAT_H
#define _GMM_COMPAT_H

#include <linux/err.h>
#include <linux/list_lru.h>
#include <linux/mmzone.h>
#include <linux/shrinker.h>
#include <linux/slab.h>

#if defined(MAX_PAGE_ORDER)
#define GMM_MAX_BUDDY_ORDER	MAX_PAGE_ORDER
#elif MAX_ORDER_NR_PAGES == (1 << MAX_ORDER)
#define GMM_MAX_BUDDY_ORDER	MAX_ORDER
#else
#define GMM_MAX_BUDDY_ORDER	(MAX_ORDER - 1)
#endif
static_assert(MAX_ORDER_NR_PAGES == (1UL << GMM_MAX_BUDDY_ORDER));

typedef unsigned long (*gmm_shrink_fn)(struct shrinker *shrinker,
				       struct shrink_control *sc);

#ifdef SHRINKER_ALLOCATED
static inline void gmm_shrinker_destroy(struct shrinker *s)
{
	shrinker_free(s);
}

static inline struct shrinker *gmm_shrinker_create_lru(gmm_shrink_fn count,
						       gmm_shrink_fn scan,
						       const char *name,
						       struct list_lru *lru)
{
	struct shrinker *s;
	int ret;

	s = shrinker_alloc(SHRINKER_MEMCG_AWARE | SHRINKER_NUMA_AWARE, "%s",
			   name);
	if (!s)
		return ERR_PTR(-ENOMEM);
	s->count_objects = count;
	s->scan_objects = scan;
	s->seeks = 0;
	ret = list_lru_init_memcg(lru, s);
	if (ret) {
		shrinker_free(s);
		return ERR_PTR(ret);
	}
	shrinker_register(s);
	return s;
}
#else
static inline void gmm_shrinker_destroy(struct shrinker *s)
{
	unregister_shrinker(s);
	kfree(s);
}

static inline struct shrinker *gmm_shrinker_create_lru(gmm_shrink_fn count,
						       gmm_shrink_fn scan,
						       const char *name,
						       struct list_lru *lru)
{
	struct shrinker *s = kzalloc(sizeof(*s), GFP_KERNEL);
	int ret;

	if (!s)
		return ERR_PTR(-ENOMEM);
	s->count_objects = count;
	s->scan_objects = scan;
	s->seeks = 0;
	s->flags = SHRINKER_MEMCG_AWARE | SHRINKER_NUMA_AWARE;
	ret = register_shrinker(s, "%s", name);
	if (ret) {
		kfree(s);
		return ERR_PTR(ret);
	}
	ret = list_lru_init_memcg(lru, s);
	if (ret) {
		gmm_shrinker_destroy(s);
		return ERR_PTR(ret);
	}
	return s;
}
#endif

#ifdef MAX_PAGE_ORDER
#define gmm_list_lru_add(lru, item)	list_lru_add_obj(lru, item)
#define gmm_list_lru_del(lru, item)	list_lru_del_obj(lru, item)
#else
#define gmm_list_lru_add(lru, item)	list_lru_add(lru, item)
#define gmm_list_lru_del(lru, item)	list_lru_del(lru, item)
#endif

#if IS_ENABLED(CONFIG_KASAN_GENERIC) && defined(GMM_KASAN_POISON_EXPORTED)
#define GMM_HAVE_KASAN_POISON	1
void kasan_poison(const void *addr, size_t size, u8 value, bool init);
#define gmm_kasan_poison(addr, size, value) \
	kasan_poison(addr, size, value, false)
#else
#define GMM_HAVE_KASAN_POISON	0
static inline void gmm_kasan_poison(const void *addr, size_t size, u8 value)
{
}
#endif

#endif /* _GMM_COMPAT_H */
