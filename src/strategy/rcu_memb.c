/* rcu, memb flavour (liburcu urcu-memb): the body is rcu_flavour.h; the table's `rcu` entry. */
#define RCU_FLAVOUR_QSBR 0
#include "strategy/rcu_flavour.h"
