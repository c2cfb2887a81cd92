// apps/amorph/main.cpp — the amorph command-line tool (see app.hpp).
#include "app.hpp"

int main(int argc, char** argv) { return amorph::cli::run(argc, argv); }
