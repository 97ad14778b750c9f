// The bench's fixloop: the built package (dist/, from `npm run build`), started the way an
// installed `fixloop` starts, without bin/fixloop.js's tsx hook for a source checkout.
const { main, reportError } = await import(new URL('../../dist/cli.js', import.meta.url).href);
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  process.exitCode = reportError(err);
}
