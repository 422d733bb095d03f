// SPDX-License-Identifier: GPL-2.0
/*
 * objects.c - object listings of gmmctl's own heap (GMM_IOC_OBJECTS): the
 * slots, their colours, the pointers between objects, for `gmmctl run
 * --step`, recordings ("objects" lines) and `gmmctl graph`.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "viz.h"

const char *const viz_colour_names[4] = { "free", "white", "grey", "black" };

void viz_objects_free(struct viz_objects *o)
{
	uint32_t i;

	free(o->objects);
	free(o->edges);
	for (i = 0; i < o->nr_names; i++)
		free(o->names[i]);
	free(o->names);
	free(o->name_index);
	for (i = 0; i < o->nr_types; i++)
		free(o->type_names[i]);
	free(o->type_names);
	free(o->type_ids);
	memset(o, 0, sizeof(*o));
}

void viz_objects_count(const struct viz_objects *o, uint32_t counts[4])
{
	uint32_t i;

	memset(counts, 0, 4 * sizeof(*counts));
	for (i = 0; i < o->nr_objects; i++)
		if (o->objects[i].colour < 4)
			counts[o->objects[i].colour]++;
}

/* One try with room for @ro objects and @re edges; 0, -ENOSPC, -errno. */
static int objects_try(int fd, const uint32_t *handles, uint32_t nh,
		       uint32_t *index, struct viz_objects *o, uint32_t ro,
		       uint32_t re)
{
	struct gmm_objects hdr;

	o->objects = calloc(ro, sizeof(*o->objects));
	o->edges = calloc(re, sizeof(*o->edges));
	if (!o->objects || !o->edges)
		return -ENOMEM;
	memset(&hdr, 0, sizeof(hdr));
	hdr.nr_objects = ro;
	hdr.objects = (uintptr_t)o->objects;
	hdr.object_size = sizeof(*o->objects);
	hdr.nr_edges = re;
	hdr.edges = (uintptr_t)o->edges;
	hdr.edge_size = sizeof(*o->edges);
	hdr.nr_handles = nh;
	hdr.handles = (uintptr_t)handles;
	hdr.handle_index = (uintptr_t)index;
	if (ioctl(fd, GMM_IOC_OBJECTS, &hdr))
		return -errno;
	o->phase = hdr.phase;
	o->grey = hdr.grey;
	o->nr_objects = hdr.nr_objects;
	o->nr_edges = hdr.nr_edges;
	return hdr.nr_objects > ro || hdr.nr_edges > re ? -ENOSPC : 0;
}

int dev_objects(int fd, const uint32_t *handles, uint32_t nh,
		uint32_t *index, struct viz_objects *o)
{
	uint32_t ro = 1024, re = 1024;
	int tries, err = -ENOSPC;

	memset(o, 0, sizeof(*o));
	for (tries = 0; tries < 8 && err == -ENOSPC; tries++) {
		free(o->objects);
		free(o->edges);
		err = objects_try(fd, handles, nh, index, o, ro, re);
		/* The heap may grow between two tries: some slack. */
		ro = o->nr_objects + 256;
		re = o->nr_edges + 256;
	}
	if (err)
		viz_objects_free(o);
	return err == -ENOSPC ? -EAGAIN : err;
}
