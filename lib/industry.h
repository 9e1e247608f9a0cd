/*
 * The 20 sections (门类 A–T) of GB/T 4754-2017, 国民经济行业分类. They are
 * a const table, not a data file like regions.csv: the standard fixes them
 * for its whole edition (the 2017 edition kept the 2011 sections), while
 * region codes change every year.
 */
#ifndef CQOD_INDUSTRY_H
#define CQOD_INDUSTRY_H

/* The section letter ('A'..'T') whose name is `name` exactly, or '\0'. */
char industry_section_by_name(const char *name);

/* The name of section `letter` (upper case), or NULL. */
const char *industry_section_name(char letter);

#endif
