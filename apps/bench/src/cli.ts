#!/usr/bin/env node
console.log("mm-bench");
