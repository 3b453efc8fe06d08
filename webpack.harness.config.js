// Test-only build: the task pane against the in-memory workbook (src/taskpane/harness.ts), with no
// office.js, into test-output/harness. The browser tests build it and serve it on 127.0.0.1.
const path = require('path');
const HtmlWebpackPlugin = require('html-webpack-plugin');

module.exports = (env = {}) => ({
  mode: env.production ? 'production' : 'development',
  devtool: false,
  entry: { harness: './src/taskpane/harness.ts' },
  output: { path: path.resolve(__dirname, env.out || 'test-output/harness'), filename: '[name].js', clean: true },
  resolve: { extensions: ['.ts', '.js'] },
  module: {
    rules: [
      {
        test: /\.ts$/,
        exclude: /node_modules/,
        use: { loader: 'ts-loader', options: { configFile: 'tsconfig.web.json', onlyCompileBundledFiles: true, transpileOnly: true } },
      },
    ],
  },
  performance: { hints: false },
  // The add-in pages' Content-Security-Policy, so that the browser tests run the pane under it.
  plugins: [
    new HtmlWebpackPlugin({
      filename: 'harness.html',
      template: './src/taskpane/harness.html',
      chunks: ['harness'],
      meta: { csp: { 'http-equiv': 'Content-Security-Policy', content: require('./webpack.config.js').CONTENT_SECURITY_POLICY } },
    }),
  ],
});
