// SPDX-License-Identifier: GPL-2.0
/*
 * A module for tests/vm/selftest: loading it shows that the harness loads
 * the module it finds in the build tree, and loading it with warn=1 makes
 * the kernel log a real WARN report, which must fail the run.
 */
#include <linux/bug.h>
#include <linux/init.h>
#include <linux/module.h>

static bool warn;
module_param(warn, bool, 0444);
MODULE_PARM_DESC(warn, "log a kernel warning (WARN) when loaded");

static int __init door_vm_selftest_init(void)
{
	WARN(warn, "door_vm_selftest: deliberate warning\n");
	return 0;
}

static void __exit door_vm_selftest_exit(void)
{
}

module_init(door_vm_selftest_init);
module_exit(door_vm_selftest_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("tests/vm/selftest helper: load it, optionally with a WARN");
