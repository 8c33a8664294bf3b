// ringcast-dataplane's own command line (after EAL's arguments and "--"). ringcastd builds it.
#pragma once

#include "dataplane/net/pipeline.h"
#include "dataplane/tcp/engine.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ringcast::runtime {

// A NIC port that gets an exception TAP (exception_port.h): its DPDK device name (as
// rte_eth_dev_get_name_by_port reports it: a vdev's name, a PCI address with its domain) and the
// kernel interface to create. --exception-tap DEVICE=INTERFACE.
struct ExceptionPortSpec {
    std::string device;
    std::string interface;
};

struct Options {
    std::string snapshot_path;
    std::string content_path; // empty: no sites, every HTTP request is answered 404
    std::string stats_path;   // empty: no stats file
    std::string control_path; // empty: no control socket (snapshot fixed for the run)
    uint32_t stats_interval_ms = 1000;
    uint32_t idle_sleep_us = 0;   // see SharedState::idle_sleep_us
    net::PipelineConfig pipeline; // VIPs and DNS settings; the port MAC is filled per port
    tcp::EngineConfig tcp;        // each lcore's engine; the cookie secret is drawn at start
    std::vector<ExceptionPortSpec> exception_ports;
};

// Parses the application arguments. Returns false with `error` set on bad input.
bool parse_options(int argc, char** argv, Options& out, std::string& error);

// The options and their ranges, for an error message.
std::string usage();

} // namespace ringcast::runtime
