#!/usr/bin/env node
// Entry of the `twofold` command: runs the TypeScript CLI through tsx's loader.
import {register} from 'tsx/esm/api'

register()
const {main} = await import('../pipeline/cli.ts')
process.exitCode = await main(process.argv.slice(2))
