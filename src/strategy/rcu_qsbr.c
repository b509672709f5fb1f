/* rcu, qsbr flavour (liburcu urcu-qsbr): the body is rcu_flavour.h; rcu's resolve() picks it. */
#define RCU_FLAVOUR_QSBR 1
#include "strategy/rcu_flavour.h"
