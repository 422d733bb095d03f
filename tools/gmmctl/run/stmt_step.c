// SPDX-License-Identifier: GPL-2.0
/*
 * stmt_step.c - tri-colour marking step by step in `gmmctl run`
 * (GMM_IOC_STEP, GMM_IOC_OBJECTS):
 *
 *   gc begin                a stepped cycle: its roots grey, then it waits
 *   gc step [N]             scan N grey objects (default --step-objects,
 *                           1); the step that finds none ends the cycle
 *   gc finish               let the stepped cycle mark the rest itself
 *   expect colour X C       X's object is white, grey, black (or free)
 *
 * and `gmmctl run --step`: every `gc` statement is a stepped cycle, one
 * batch of grey objects at a time.  Each step prints the colours of the
 * script's names and how many objects have each colour; with --record
 * (or under gmmctl serve) it also writes the whole listing into the
 * recording as an "objects" line, which the page and `gmmctl graph` draw.
 * Under `gmmctl serve --step` each step first waits for the page's Step
 * button (run_set_step_gate()).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "run.h"
#include "viz/record.h"

#define SHOW_NAMES	16	/* names whose colour a step prints */

static int (*step_gate)(void *arg);
static void *step_gate_arg;

void run_set_step_gate(int (*gate)(void *arg), void *arg)
{
	step_gate = gate;
	step_gate_arg = arg;
}

/* Wait for the go-ahead of gmmctl serve, if it is there. */
static int gate(struct fail *f)
{
	if (step_gate && step_gate(step_gate_arg))
		return fail(f, 0, "stopped while waiting for a step");
	return 0;
}

static int step_ioctl(struct script *sc, uint32_t flags, uint32_t count,
		      struct gmm_step *s, struct fail *f)
{
	memset(s, 0, sizeof(*s));
	s->flags = flags;
	s->count = count;
	if (ioctl(gmm_fd(sc->g), GMM_IOC_STEP, s))
		return kfail(f, -errno, "GMM_IOC_STEP",
			     errno == EBUSY ? "a stepped cycle is under way" :
			     errno == ENOENT ? "no stepped cycle (gc begin first)" :
			     NULL);
	return 0;
}

/* The script's names that hold objects, with their handles. */
static uint32_t named(struct script *sc, uint32_t *handles, char **names,
		      uint32_t room)
{
	uint32_t n = 0;
	size_t i;

	for (i = 0; i < sc->nvars && n < room; i++) {
		if (!sc->vars[i].bound || !sc->vars[i].handle)
			continue;
		handles[n] = sc->vars[i].handle;
		names[n++] = sc->vars[i].name;
	}
	return n;
}

/* Names and type names into @o (copies); 0 or -ENOMEM. */
static int name_listing(struct script *sc, struct viz_objects *o,
			char **names, const uint32_t *index, uint32_t n)
{
	uint32_t i;

	o->names = calloc(n + 1, sizeof(*o->names));
	o->name_index = calloc(n + 1, sizeof(*o->name_index));
	o->type_names = calloc(sc->ntypes + 1, sizeof(*o->type_names));
	o->type_ids = calloc(sc->ntypes + 1, sizeof(*o->type_ids));
	if (!o->names || !o->name_index || !o->type_names || !o->type_ids)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (index[i] == GMM_OBJECT_NONE)
			continue;
		o->names[o->nr_names] = strdup(names[i]);
		if (!o->names[o->nr_names])
			return -ENOMEM;
		o->name_index[o->nr_names++] = index[i];
	}
	for (i = 0; i < sc->ntypes; i++) {
		if (!sc->types[i].id)
			continue;
		o->type_names[o->nr_types] = strdup(sc->types[i].name);
		if (!o->type_names[o->nr_types])
			return -ENOMEM;
		o->type_ids[o->nr_types++] = sc->types[i].id;
	}
	return 0;
}

/* The colours as text: counts, then the names' colours. */
static void show_text(const struct viz_objects *o, const struct gmm_step *s)
{
	uint32_t c[4], i;

	viz_objects_count(o, c);
	printf("gc %s: cycle %llu, ", o->why, ULL(o->cycle));
	if (!strcmp(o->why, "step") || !strcmp(o->why, "end"))
		printf("scanned %u, ", s->scanned);
	printf("%u white, %u grey, %u black (%u free slots)\n", c[1], c[2],
	       c[3], c[0]);
	for (i = 0; i < o->nr_names && i < SHOW_NAMES; i++)
		printf("%s%s %s", i ? ", " : "  ", o->names[i],
		       viz_colour_names[o->objects[o->name_index[i]].colour & 3]);
	if (o->nr_names > SHOW_NAMES)
		printf(", ... (%u names)", o->nr_names);
	if (o->nr_names)
		putchar('\n');
}

static void show_json(struct script *sc, const struct stmt *st,
		      const struct viz_objects *o, const struct gmm_step *s)
{
	uint32_t c[4], i;

	viz_objects_count(o, c);
	out_line(sc, st);
	json_obj_begin(&sc->j, "step");
	json_str(&sc->j, "why", o->why);
	json_u64(&sc->j, "cycle", o->cycle);
	json_u64(&sc->j, "scanned", s->scanned);
	json_obj_begin(&sc->j, "colours");
	for (i = 0; i < 4; i++)
		json_u64(&sc->j, viz_colour_names[i], c[i]);
	json_obj_end(&sc->j);
	json_obj_begin(&sc->j, "names");
	for (i = 0; i < o->nr_names; i++)
		json_str(&sc->j, o->names[i],
			 viz_colour_names[o->objects[o->name_index[i]].colour & 3]);
	json_obj_end(&sc->j);
	json_obj_end(&sc->j);
	json_obj_end(&sc->j);
}

/*
 * The listing now, labelled @why: printed, and into the recording.  A
 * heap too big to list (-E2BIG) is said so and the steps go on.
 */
static int show(struct script *sc, const struct stmt *st, const char *why,
		const struct gmm_step *s, struct fail *f)
{
	uint32_t handles[256], index[256], n;
	struct viz_objects o;
	struct gmm_stats gs;
	char *names[256];
	int err;

	n = named(sc, handles, names, 256);
	err = dev_objects(gmm_fd(sc->g), handles, n, index, &o);
	if (err == -E2BIG) {
		printf("gc %s: cycle %llu (the heap is too big to list its "
		       "objects)\n", why, ULL(s->cycle));
		return 0;
	}
	if (err)
		return kfail(f, err, "GMM_IOC_OBJECTS", NULL);
	snprintf(o.why, sizeof(o.why), "%s", why);
	o.cycle = s->cycle;
	o.scanned = s->scanned;
	o.grey = s->state == GMM_STEP_MARKING ? s->grey : o.grey;
	err = name_listing(sc, &o, names, index, n);
	if (!err)
		err = gmm_stats(sc->g, &gs, NULL, 0);
	if (!err) {
		o.t_ns = gs.uptime_ns;
		if (opts.json)
			show_json(sc, st, &o, s);
		else
			show_text(&o, s);
		err = record_objects(&o);
	}
	viz_objects_free(&o);
	return err ? kfail(f, err, "listing the objects", NULL) : 0;
}

/* BEGIN, with the listing before and after it. */
static int begin(struct script *sc, const struct stmt *st, struct fail *f)
{
	struct gmm_stats gs;
	struct gmm_step s;
	int err;

	err = gmm_stats(sc->g, &gs, NULL, 0);
	if (err)
		return kfail(f, err, "GMM_IOC_STATS", NULL);
	memset(&s, 0, sizeof(s));
	s.cycle = gs.num_gc + 1;
	if (show(sc, st, "before", &s, f) || gate(f) ||
	    step_ioctl(sc, GMM_STEP_BEGIN, 0, &s, f))
		return -1;
	return show(sc, st, "begin", &s, f);
}

/* One step of @count; *@marking says whether the cycle goes on. */
static int one_step(struct script *sc, const struct stmt *st, uint32_t count,
		    bool *marking, struct fail *f)
{
	struct gmm_step s;

	if (gate(f) || step_ioctl(sc, 0, count, &s, f))
		return -1;
	*marking = s.state == GMM_STEP_MARKING;
	if (!*marking)
		sc->cycles_seen = s.num_gc;
	return show(sc, st, *marking ? "step" : "end", &s, f);
}

/* `gc` under --step: each cycle begun, then stepped to its end. */
int exec_gc_stepped(struct script *sc, const struct stmt *st, struct fail *f)
{
	bool marking = true;
	uint64_t i;

	for (i = 0; i < st->n; i++) {
		if (begin(sc, st, f))
			return -1;
		for (marking = true; marking; )
			if (one_step(sc, st, sc->step_objects, &marking, f))
				return -1;
	}
	return 0;
}

int parse_gc_step(struct parser *p, struct stmt *st, struct token *t, int n)
{
	if (!strcmp(t[1].s, "step")) {
		if (expect_words(p, t, n, 2, 3, "gc step [COUNT]"))
			return -1;
		st->n = 0;
		return n == 3 ? num_arg(p, &t[2], "count", 1, GMM_STEP_MAX,
					&st->n) : 0;
	}
	return expect_words(p, t, n, 2, 2, !strcmp(t[1].s, "begin") ?
			    "gc begin" : "gc finish");
}

int exec_gc_begin(struct script *sc, const struct stmt *st, struct fail *f)
{
	return begin(sc, st, f);
}

int exec_gc_step(struct script *sc, const struct stmt *st, struct fail *f)
{
	uint32_t count = st->n ? (uint32_t)st->n :
			 sc->step_objects ? sc->step_objects : 1;
	bool marking;

	return one_step(sc, st, count, &marking, f);
}

int exec_gc_finish(struct script *sc, const struct stmt *st, struct fail *f)
{
	struct gmm_step s;

	if (step_ioctl(sc, GMM_STEP_END, 0, &s, f))
		return -1;
	sc->cycles_seen = s.num_gc;
	return show(sc, st, "end", &s, f);
}

int parse_expect_colour(struct parser *p, struct stmt *st, struct token *t,
			int n)
{
	int i;

	if (expect_words(p, t, n, 4, 4, "expect colour NAME white|grey|black|free"))
		return -1;
	st->var = var_index(p, &t[2]);
	if (st->var < 0)
		return -1;
	for (i = 0; i < 4; i++)
		if (!strcmp(t[3].s, viz_colour_names[i]))
			break;
	if (i == 4)
		return perr(p, t[3].col, "a colour is white, grey, black or "
			    "free, not '%s'", t[3].s), -1;
	st->mode = i;
	return 0;
}

int exec_expect_colour(struct script *sc, const struct stmt *st,
		       struct fail *f)
{
	struct viz_objects o;
	uint32_t h, index;
	int err, c;

	if (handle_of(sc, st->var, f, &h))
		return -1;
	err = dev_objects(gmm_fd(sc->g), &h, 1, &index, &o);
	if (err)
		return kfail(f, err, "GMM_IOC_OBJECTS", NULL);
	c = index < o.nr_objects ? (int)o.objects[index].colour : -1;
	viz_objects_free(&o);
	if (c != st->mode)
		return fail(f, 0, "%s is %s, not %s", sc->vars[st->var].name,
			    c < 0 ? "nowhere" : viz_colour_names[c],
			    viz_colour_names[st->mode]);
	return 0;
}
