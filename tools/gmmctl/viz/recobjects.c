// SPDX-License-Identifier: GPL-2.0
/*
 * recobjects.c - the "objects" lines of a recording (recwrite.c writes
 * them for gmmctl run --step) read back into struct viz_objects, for
 * gmmctl graph.  Columns are found by name, as for spans; a row that is
 * not numbers, a colour over 3 or an edge to no object is an error.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jsonread.h"
#include "viz.h"

#define EDGE_NR_COLS	3
static const char *const edge_columns[EDGE_NR_COLS] = { "from", "offset", "to" };

static int columns(const struct jv *cols, const char *const *names, int n,
		   int *idx)
{
	size_t i;
	int k;

	if (!cols || cols->type != JV_ARR)
		return -EINVAL;
	for (k = 0; k < n; k++)
		idx[k] = -1;
	for (i = 0; i < cols->n; i++)
		for (k = 0; k < n; k++)
			if (cols->v[i].type == JV_STR &&
			    !strcmp(cols->v[i].s, names[k]))
				idx[k] = (int)i;
	for (k = 0; k < n; k++)
		if (idx[k] < 0)
			return -EINVAL;
	return 0;
}

/* Row @row's columns @idx[0..n) as 32-bit numbers into @out. */
static int row(const struct jv *row, const int *idx, int n, uint32_t *out)
{
	uint64_t v;
	int k;

	if (row->type != JV_ARR)
		return -EINVAL;
	for (k = 0; k < n; k++) {
		if ((size_t)idx[k] >= row->n || !jv_u64(&row->v[idx[k]], &v) ||
		    v > UINT32_MAX)
			return -EINVAL;
		out[k] = (uint32_t)v;
	}
	return 0;
}

static int load_rows(const struct jv *o, struct viz_objects *x, char *err,
		     size_t len)
{
	const struct jv *ob = jv_get(o, "objects"), *ed = jv_get(o, "edges");
	int oi[VIZ_OBJECT_NR_COLS], ei[EDGE_NR_COLS];
	uint32_t v[VIZ_OBJECT_NR_COLS];
	size_t i;

	if (!ob || ob->type != JV_ARR || !ed || ed->type != JV_ARR ||
	    columns(jv_get(o, "object_columns"), viz_object_columns,
		    VIZ_OBJECT_NR_COLS, oi) ||
	    columns(jv_get(o, "edge_columns"), edge_columns, EDGE_NR_COLS, ei))
		return snprintf(err, len, "objects line without its columns and "
				"rows"), -EINVAL;
	x->objects = calloc(ob->n + 1, sizeof(*x->objects));
	x->edges = calloc(ed->n + 1, sizeof(*x->edges));
	if (!x->objects || !x->edges)
		return -ENOMEM;
	for (i = 0; i < ob->n; i++, x->nr_objects++) {
		struct gmm_object_info *oi2 = &x->objects[i];

		if (row(&ob->v[i], oi, VIZ_OBJECT_NR_COLS, v) || v[5] > 3)
			return snprintf(err, len, "objects[%zu] is not an "
					"object", i), -EINVAL;
		oi2->arena = v[0];
		oi2->first_page = v[1];
		oi2->slot = v[2];
		oi2->size = v[3];
		oi2->type = v[4];
		oi2->colour = v[5];
		oi2->roots = v[6];
	}
	for (i = 0; i < ed->n; i++) {
		if (row(&ed->v[i], ei, EDGE_NR_COLS, v) || v[0] >= ob->n)
			return snprintf(err, len, "edges[%zu] is not an edge", i),
			       -EINVAL;
		if (v[2] >= ob->n)	/* into a span made during the listing */
			continue;
		x->edges[x->nr_edges].from = v[0];
		x->edges[x->nr_edges].offset = v[1];
		x->edges[x->nr_edges++].to = v[2];
	}
	return 0;
}

/* "names": {"a": 3, ...} or "type_names": {"1": "node"}. */
static int load_names(const struct jv *o, struct viz_objects *x)
{
	const struct jv *nm = jv_get(o, "names"), *tn = jv_get(o, "type_names");
	uint64_t v;
	size_t i;

	if (nm && nm->type == JV_OBJ && nm->n) {
		x->names = calloc(nm->n, sizeof(*x->names));
		x->name_index = calloc(nm->n, sizeof(*x->name_index));
		if (!x->names || !x->name_index)
			return -ENOMEM;
		for (i = 0; i < nm->n; i++) {
			if (!jv_u64(&nm->v[i], &v) || v >= x->nr_objects)
				continue;
			x->names[x->nr_names] = strdup(nm->k[i]);
			if (!x->names[x->nr_names])
				return -ENOMEM;
			x->name_index[x->nr_names++] = (uint32_t)v;
		}
	}
	if (tn && tn->type == JV_OBJ && tn->n) {
		x->type_names = calloc(tn->n, sizeof(*x->type_names));
		x->type_ids = calloc(tn->n, sizeof(*x->type_ids));
		if (!x->type_names || !x->type_ids)
			return -ENOMEM;
		for (i = 0; i < tn->n; i++) {
			if (tn->v[i].type != JV_STR)
				continue;
			x->type_names[x->nr_types] = strdup(tn->v[i].s);
			if (!x->type_names[x->nr_types])
				return -ENOMEM;
			x->type_ids[x->nr_types++] = (uint32_t)strtoul(tn->k[i], NULL, 10);
		}
	}
	return 0;
}

int viz_objects_from_json(const void *json, struct viz_objects *x, char *err,
			  size_t len)
{
	const struct jv *o = json;
	const char *why = jv_get_str(o, "why");
	uint64_t v;
	int ret;

	memset(x, 0, sizeof(*x));
	snprintf(x->why, sizeof(x->why), "%s", why ? why : "");
	if (jv_get_u64(o, "step", &v))
		x->step = (uint32_t)v;
	if (jv_get_u64(o, "t_ns", &v))
		x->t_ns = v;
	if (jv_get_u64(o, "cycle", &v))
		x->cycle = v;
	if (jv_get_u64(o, "phase", &v))
		x->phase = (uint32_t)v;
	if (jv_get_u64(o, "scanned", &v))
		x->scanned = (uint32_t)v;
	if (jv_get_u64(o, "grey", &v))
		x->grey = (uint32_t)v;
	ret = load_rows(o, x, err, len);
	if (!ret)
		ret = load_names(o, x);
	if (ret)
		viz_objects_free(x);
	return ret;
}
