/* SPDX-License-Identifier: GPL-2.0 */
/*
 * objects.h - the colour of every object of a heap (objects.c), for
 * GMM_IOC_OBJECTS and the stepped mark (step.h).
 */
#ifndef _GMM_OBJECTS_H
#define _GMM_OBJECTS_H

struct gmm_file;
struct gmm_heap;
struct gmm_span;

int gmm_object_colour(struct gmm_span *s, unsigned int idx);
int gmm_object_colour_of(struct gmm_heap *h, void *obj);
long gmm_ioctl_objects(struct gmm_file *f, unsigned int cmd,
		       unsigned long arg);

#endif /* _GMM_OBJECTS_H */
