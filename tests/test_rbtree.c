/* tests for src/model/rbtree.c: order, red-black rules, walks, erase. */
#include <stdlib.h>
#include "test.h"
#include "model/rbtree.h"

struct item {
	struct rb_node node;
	unsigned long key;
	bool in_tree;
};

static void insert(struct rb_root *root, struct item *it)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		struct item *this = rb_entry(*link, struct item, node);

		parent = *link;
		link = it->key < this->key ? &(*link)->rb_left : &(*link)->rb_right;
	}
	rb_link_node(&it->node, parent, link);
	rb_insert_color(&it->node, root);
	it->in_tree = true;
}

/* A tiny deterministic generator, so a failure reproduces. */
static unsigned long rnd(unsigned long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* In-order walk forwards and backwards equals the sorted keys of items in the tree. */
static bool walk_matches(struct rb_root *root, struct item *items, int n)
{
	unsigned long expect[4096];
	int m = 0, k;
	struct rb_node *node;

	for (int i = 0; i < n; i++)
		if (items[i].in_tree)
			expect[m++] = items[i].key;
	/* insertion sort: n is small */
	for (int i = 1; i < m; i++)
		for (int j = i; j > 0 && expect[j - 1] > expect[j]; j--) {
			unsigned long t = expect[j];

			expect[j] = expect[j - 1];
			expect[j - 1] = t;
		}
	k = 0;
	for (node = rb_first(root); node; node = rb_next(node)) {
		if (k >= m || rb_entry(node, struct item, node)->key != expect[k])
			return false;
		k++;
	}
	if (k != m)
		return false;
	for (node = rb_last(root); node; node = rb_prev(node)) {
		k--;
		if (k < 0 || rb_entry(node, struct item, node)->key != expect[k])
			return false;
	}
	return k == 0;
}

TEST(rbtree_empty)
{
	struct rb_root root = RB_ROOT;

	CHECK(RB_EMPTY_ROOT(&root));
	CHECK(rb_first(&root) == NULL);
	CHECK(rb_last(&root) == NULL);
	CHECK(rb_first_postorder(&root) == NULL);
	CHECK_EQ_INT(rb_check_invariants(&root), 1);
}

TEST(rbtree_sorted_inserts_stay_balanced)
{
	static struct item items[1023];
	struct rb_root root = RB_ROOT;
	int bh;

	for (int i = 0; i < 1023; i++) {
		items[i].key = i;
		insert(&root, &items[i]);
	}
	bh = rb_check_invariants(&root);
	CHECK(bh > 0);
	/* 1023 nodes: black height at most log2(n+1) + 1 counting leaves */
	CHECK(bh <= 11);
	CHECK(walk_matches(&root, items, 1023));
	CHECK(rb_first(&root) == &items[0].node);
	CHECK(rb_last(&root) == &items[1022].node);
}

TEST(rbtree_random_insert_erase_matches_sorted_array)
{
	enum { N = 600, STEPS = 6000 };
	static struct item items[N];
	struct rb_root root = RB_ROOT;
	unsigned long seed = 0x9e3779b97f4a7c15UL;
	bool ok = true;

	for (int i = 0; i < N; i++) {
		items[i].key = rnd(&seed) % 1000;	/* duplicates on purpose */
		items[i].in_tree = false;
	}
	for (int step = 0; step < STEPS && ok; step++) {
		struct item *it = &items[rnd(&seed) % N];

		if (it->in_tree) {
			rb_erase(&it->node, &root);
			it->in_tree = false;
		} else {
			insert(&root, it);
		}
		if (rb_check_invariants(&root) < 0) {
			CHECK_MSG(0, "red-black rules broken at step %d", step);
			ok = false;
		}
		if (step % 97 == 0 && !walk_matches(&root, items, N)) {
			CHECK_MSG(0, "order broken at step %d", step);
			ok = false;
		}
	}
	CHECK(walk_matches(&root, items, N));
	/* erase everything, checking as we go */
	for (int i = 0; i < N; i++) {
		if (!items[i].in_tree)
			continue;
		rb_erase(&items[i].node, &root);
		items[i].in_tree = false;
		if (rb_check_invariants(&root) < 0) {
			CHECK_MSG(0, "red-black rules broken erasing %d", i);
			break;
		}
	}
	CHECK(RB_EMPTY_ROOT(&root));
}

TEST(rbtree_postorder_visits_children_first_and_allows_free)
{
	enum { N = 300 };
	struct rb_root root = RB_ROOT;
	struct item *pos, *n;
	unsigned long seed = 42;
	int visited = 0;
	bool children_first = true;

	for (int i = 0; i < N; i++) {
		struct item *it = calloc(1, sizeof(*it));

		REQUIRE(it);
		it->key = rnd(&seed) % 10000;
		insert(&root, it);
	}
	/* in_tree doubles as "not visited yet" */
	rbtree_postorder_for_each_entry_safe(pos, n, &root, node) {
		if ((pos->node.rb_left && rb_entry(pos->node.rb_left, struct item, node)->in_tree) ||
		    (pos->node.rb_right && rb_entry(pos->node.rb_right, struct item, node)->in_tree))
			children_first = false;
		pos->in_tree = false;
		visited++;
	}
	/* a second walk frees as it goes: ASan catches a walk that touches freed nodes */
	rbtree_postorder_for_each_entry_safe(pos, n, &root, node)
		free(pos);
	CHECK_EQ_INT(visited, N);
	CHECK(children_first);
}

TEST(rbtree_empty_node_has_no_neighbours)
{
	struct item it = { .key = 1 };

	RB_CLEAR_NODE(&it.node);
	CHECK(RB_EMPTY_NODE(&it.node));
	CHECK(rb_next(&it.node) == NULL);
	CHECK(rb_prev(&it.node) == NULL);
}
