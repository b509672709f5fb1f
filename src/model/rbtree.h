/*
 * src/model/rbtree.h — a red-black tree with the API of include/linux/rbtree.h (v6.1).
 *
 * Intrusive, like the kernel's: embed a struct rb_node in your object, search
 * the tree yourself (rb_entry() gets back to the object), link the new node
 * with rb_link_node() where the search ended, then rb_insert_color() to
 * rebalance. rb_erase() unlinks. The node layout is the kernel's (parent and
 * colour packed in one word, then right, then left), so a node costs what it
 * costs there: 24 bytes on 64-bit.
 *
 * Not thread-safe: the caller serialises every call on one tree (iova.c holds
 * iova_rbtree_lock). Insert and erase are O(log n) with at most three
 * rotations; rb_first/rb_last O(log n); rb_next/rb_prev O(log n) worst case,
 * O(1) amortised over a walk. rb_first_postorder/rb_next_postorder visit
 * children before parents, so a walk may free each node it leaves (used to
 * tear a whole tree down without rebalancing).
 */
#ifndef DMABENCH_MODEL_RBTREE_H
#define DMABENCH_MODEL_RBTREE_H

#include <stdbool.h>
#include <stddef.h>
#include "model/compiler.h"

struct rb_node {
	unsigned long __rb_parent_color;	/* parent pointer | colour in bit 0 */
	struct rb_node *rb_right;
	struct rb_node *rb_left;
} __attribute__((aligned(sizeof(long))));

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_RED		0
#define RB_BLACK	1

#define RB_ROOT		((struct rb_root) { NULL, })
#define rb_entry(ptr, type, member)	container_of(ptr, type, member)
#define rb_entry_safe(ptr, type, member) \
	({ __typeof__(ptr) ____ptr = (ptr); \
	   ____ptr ? rb_entry(____ptr, type, member) : NULL; })

#define rb_parent(r)	((struct rb_node *)((r)->__rb_parent_color & ~3UL))
#define rb_color(r)	((int)((r)->__rb_parent_color & 1))
#define rb_is_red(r)	(rb_color(r) == RB_RED)
#define rb_is_black(r)	(rb_color(r) == RB_BLACK)

#define RB_EMPTY_ROOT(root)	(READ_ONCE((root)->rb_node) == NULL)
/* A node that is in no tree points to itself (RB_CLEAR_NODE). */
#define RB_EMPTY_NODE(node)	((node)->__rb_parent_color == (unsigned long)(node))
#define RB_CLEAR_NODE(node)	((node)->__rb_parent_color = (unsigned long)(node))

/* Link @node as a red leaf at *@rb_link under @parent; then rb_insert_color(). */
static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **rb_link)
{
	node->__rb_parent_color = (unsigned long)parent;	/* red */
	node->rb_left = node->rb_right = NULL;
	*rb_link = node;
}

void rb_insert_color(struct rb_node *node, struct rb_root *root);
void rb_erase(struct rb_node *node, struct rb_root *root);

struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);

struct rb_node *rb_first_postorder(const struct rb_root *root);
struct rb_node *rb_next_postorder(const struct rb_node *node);

/* Visit every entry children-first; the body may free @pos (not @n). */
#define rbtree_postorder_for_each_entry_safe(pos, n, root, field) \
	for (pos = rb_entry_safe(rb_first_postorder(root), __typeof__(*pos), field); \
	     pos && ({ n = rb_entry_safe(rb_next_postorder(&pos->field), \
			__typeof__(*pos), field); 1; }); \
	     pos = n)

/*
 * Model only, for tests: check the red-black rules on the whole tree (root
 * black, no red node with a red child, equal black height on every path,
 * parent pointers consistent). Returns the black height (>= 1 counting the
 * NULL leaves), or -1 if a rule is broken. Order is the caller's to check.
 */
int rb_check_invariants(const struct rb_root *root);

#endif
