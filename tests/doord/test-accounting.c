/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>

#include "accounting.h"

static struct accounting *a;

static void setup(void)
{
	cr_assert_eq(accounting_new(&a), 0);
}

static void teardown(void)
{
	a = accounting_free(a);
}

TestSuite(accounting, .init = setup, .fini = teardown);

Test(accounting, attachments_are_counted_per_uid)
{
	cr_assert_eq(accounting_attach(a, 1000), 0);
	cr_assert_eq(accounting_attach(a, 1000), 0);
	cr_assert_eq(accounting_attach(a, 1001), 0);
	cr_expect_eq(accounting_attachments(a, 1000), 2);
	cr_expect_eq(accounting_attachments(a, 1001), 1);
	cr_expect_eq(accounting_attachments(a, 1257), 0);	/* same bucket as 1001 */
	accounting_detach(a, 1000);
	cr_expect_eq(accounting_attachments(a, 1000), 1);
	accounting_detach(a, 1002);
	cr_expect_eq(accounting_attachments(a, 1002), 0);
}

Test(accounting, lookups_beyond_the_rate_are_eagain)
{
	uint64_t t = 1000000;
	int i;

	for (i = 0; i < 10; i++)
		cr_assert_eq(accounting_take_lookup(a, 5, 10, t), 0, "lookup %d", i);
	cr_expect_eq(accounting_take_lookup(a, 5, 10, t), -EAGAIN);
	/* Another uid has its own bucket. */
	cr_expect_eq(accounting_take_lookup(a, 6, 10, t), 0);
}

Test(accounting, tokens_refill_with_time_up_to_one_second)
{
	uint64_t t = 1000000;
	int i;

	for (i = 0; i < 10; i++)
		cr_assert_eq(accounting_take_lookup(a, 5, 10, t), 0);
	cr_expect_eq(accounting_take_lookup(a, 5, 10, t + 50000), -EAGAIN);
	cr_expect_eq(accounting_take_lookup(a, 5, 10, t + 100000), 0);	/* 1 token per 100 ms */
	/* A long pause refills one second's worth, no more. */
	for (i = 0; i < 10; i++)
		cr_assert_eq(accounting_take_lookup(a, 5, 10, t + 60000000), 0);
	cr_expect_eq(accounting_take_lookup(a, 5, 10, t + 60000000), -EAGAIN);
}

Test(accounting, zero_rate_denies_and_unlimited_allows)
{
	int i;

	cr_expect_eq(accounting_take_lookup(a, 5, 0, 1), -EAGAIN);
	for (i = 0; i < 100000; i++)
		cr_assert_eq(accounting_take_lookup(a, 5, UINT64_MAX, 1), 0);
}
