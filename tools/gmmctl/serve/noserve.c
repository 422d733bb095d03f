// SPDX-License-Identifier: GPL-2.0
/*
 * noserve.c - `gmmctl serve` in a gmmctl built without libmicrohttpd
 * (gmmctl-static, for the busybox test VM: the library cannot be linked
 * statically).  It says so; the other commands are all there.
 */
#include "gmmctl.h"
#include "serve.h"

int cmd_serve(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	errmsg("serve: this gmmctl is built without libmicrohttpd (the "
	       "static build for the test VM); use the dynamic gmmctl, or "
	       "record here with --record FILE and 'gmmctl serve --input "
	       "FILE' on a machine that has it");
	return EXIT_FAIL;
}
