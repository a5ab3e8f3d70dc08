#include "runtime/cli/cli.hpp"

int main(int argc, char** argv) {
    return hull::cli::run(argc, argv);
}
