package dev.presign.operator.config;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An SSLContext whose engines offer ChaCha20-Poly1305 first, ahead of whatever cipher suites the
 * caller enables.
 *
 * <p>Why: the operator's JVM runs C1 only (DESIGN §5), and C1 has no intrinsic for AES-GCM's GHASH:
 * it decrypts about 48 MB/s there, ChaCha20-Poly1305 about 200 MB/s, and decrypting the API
 * server's answers and watch events was a fifth of the operator's CPU in a burst. Go's TLS server
 * (the kube-apiserver) picks ChaCha20 when the client lists it first, and AES-GCM otherwise; a
 * server without ChaCha20 (FIPS) still finds the AES suites behind it. The engines' order has to be
 * set here because Netty, under the Fabric8 Vert.x client, enables its own list (AES-GCM only) on
 * each engine it creates.
 */
final class ChaCha20FirstSslContext extends SSLContext {

  static final String CHACHA20 = "TLS_CHACHA20_POLY1305_SHA256";

  private ChaCha20FirstSslContext(SSLContext delegate) {
    super(new Spi(delegate), delegate.getProvider(), delegate.getProtocol());
  }

  static SSLContext wrap(SSLContext delegate) {
    return new ChaCha20FirstSslContext(delegate);
  }

  /** ChaCha20 first if the engine supports it, then the suites asked for, in their order. */
  static String[] chaCha20First(String[] suites, String[] supported) {
    if (!List.of(supported).contains(CHACHA20)) {
      return suites;
    }
    return Stream.concat(Stream.of(CHACHA20), Stream.of(suites).filter(s -> !s.equals(CHACHA20)))
        .toArray(String[]::new);
  }

  private static final class Spi extends SSLContextSpi {
    private final SSLContext delegate;

    Spi(SSLContext delegate) {
      this.delegate = delegate;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
      throw new IllegalStateException("initialised by the context it wraps");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return delegate.getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return delegate.getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return new Engine(delegate.createSSLEngine());
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return new Engine(delegate.createSSLEngine(host, port));
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return delegate.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return delegate.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return delegate.getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return delegate.getSupportedSSLParameters();
    }
  }

  /** The JDK's engine, with ChaCha20 kept first whenever cipher suites are set. */
  private static final class Engine extends SSLEngine {
    private final SSLEngine delegate;

    Engine(SSLEngine delegate) {
      super(delegate.getPeerHost(), delegate.getPeerPort());
      this.delegate = delegate;
      delegate.setEnabledCipherSuites(
          chaCha20First(delegate.getEnabledCipherSuites(), delegate.getSupportedCipherSuites()));
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
      delegate.setEnabledCipherSuites(chaCha20First(suites, delegate.getSupportedCipherSuites()));
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
      if (params.getCipherSuites() != null) {
        params.setCipherSuites(
            chaCha20First(params.getCipherSuites(), delegate.getSupportedCipherSuites()));
      }
      delegate.setSSLParameters(params);
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst)
        throws javax.net.ssl.SSLException {
      return delegate.wrap(srcs, offset, length, dst);
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length)
        throws javax.net.ssl.SSLException {
      return delegate.unwrap(src, dsts, offset, length);
    }

    @Override
    public Runnable getDelegatedTask() {
      return delegate.getDelegatedTask();
    }

    @Override
    public void closeInbound() throws javax.net.ssl.SSLException {
      delegate.closeInbound();
    }

    @Override
    public boolean isInboundDone() {
      return delegate.isInboundDone();
    }

    @Override
    public void closeOutbound() {
      delegate.closeOutbound();
    }

    @Override
    public boolean isOutboundDone() {
      return delegate.isOutboundDone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
      return delegate.getEnabledCipherSuites();
    }

    @Override
    public String[] getSupportedProtocols() {
      return delegate.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
      return delegate.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
      delegate.setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
      return delegate.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
      return delegate.getHandshakeSession();
    }

    @Override
    public void beginHandshake() throws javax.net.ssl.SSLException {
      delegate.beginHandshake();
    }

    @Override
    public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
      return delegate.getHandshakeStatus();
    }

    @Override
    public void setUseClientMode(boolean mode) {
      delegate.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
      return delegate.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
      delegate.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
      return delegate.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
      delegate.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
      return delegate.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
      delegate.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
      return delegate.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
      return delegate.getSSLParameters();
    }

    @Override
    public String getApplicationProtocol() {
      return delegate.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
      return delegate.getHandshakeApplicationProtocol();
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(
        BiFunction<SSLEngine, List<String>, String> selector) {
      delegate.setHandshakeApplicationProtocolSelector(selector);
    }

    @Override
    public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
      return delegate.getHandshakeApplicationProtocolSelector();
    }
  }
}
