/* The one table of scenarios: --list, --scenario, the CSV and the plots read it. */
#include <string.h>
#include "scenario.h"

extern const struct scenario scenario_lookup, scenario_map_unmap, scenario_map_sg;

const struct scenario *const scenario_table[] = {
	&scenario_lookup,
	&scenario_map_unmap,
	&scenario_map_sg,
};
const unsigned int scenario_count = ARRAY_SIZE(scenario_table);

const struct scenario *scenario_find(const char *name)
{
	for (unsigned int i = 0; i < scenario_count; i++)
		if (!strcmp(scenario_table[i]->name, name))
			return scenario_table[i];
	return NULL;
}
