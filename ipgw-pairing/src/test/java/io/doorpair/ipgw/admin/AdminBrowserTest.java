package io.doorpair.ipgw.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.doorpair.crypto.PublicKeyHash;
import io.doorpair.crypto.SecurityCode;
import io.doorpair.ipgw.RunningGateway;
import io.doorpair.ipgw.supervisor.B2bSupervision;
import io.doorpair.ipgw.testing.B2bStates;
import io.doorpair.ipgw.testing.TestApp;
import io.doorpair.ipgw.testing.TestIpgw;
import io.doorpair.portal.testing.Actors;
import io.doorpair.portal.testing.PortalExtension;
import io.doorpair.welcome.api.RequestStatus;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The owner's whole journey in a real headless Chromium driven by Selenium through Debian's {@code
 * chromedriver} (never a downloaded one): log in, pair with a real portal, see the app's request
 * appear by the page's own refresh, approve, type a wrong then the right security code, see the
 * device listed, press the kill switch (the real b2b, a child process, stopped then started again).
 * Screenshots of each page go to {@code target/screenshots/admin-browser/}. Skipped with its reason
 * when Chromium or chromedriver is missing, failed instead when {@code CI=true}.
 */
class AdminBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots", "admin-browser");
  private static final String PASSWORD = "password1";

  @RegisterExtension static PortalExtension portal = new PortalExtension();

  @TempDir Path dir;

  private RunningGateway gateway;
  private ChromeDriverService service;
  private WebDriver browser;

  @BeforeEach
  void start() throws Exception {
    String missing =
        !Files.isExecutable(CHROMIUM)
            ? CHROMIUM + " is missing (apt-get install chromium)"
            : !Files.isExecutable(CHROMEDRIVER)
                ? CHROMEDRIVER + " is missing (apt-get install chromium-driver)"
                : null;
    if (missing != null) {
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail("CI=true and " + missing);
      }
      Assumptions.abort("browser test skipped: " + missing);
    }
    Files.createDirectories(SCREENSHOTS);
    // The real b2b as a supervised child (it starts once the gateway is paired).
    gateway =
        TestIpgw.start(portal, dir.resolve("gateway"), B2bSupervision.child(Optional.empty()));
    // The driver is named here, so Selenium Manager never looks for (or downloads) one.
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
    service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(dir.resolve("chromedriver.log").toFile())
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1100,900",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (service != null) {
      service.stop();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void owner_logs_in_pairs_approves_with_the_security_code_and_sees_the_device() throws Exception {
    String owner = Actors.newUser(portal, "owner", PASSWORD);
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    String site = gateway.adminUrl();

    browser.get(site + "/pairing");
    wait.until(ExpectedConditions.urlToBe(site + "/login"));
    shot("01-login");
    browser.findElement(By.id("password")).sendKeys("not the password");
    browser.findElement(By.id("login")).click();
    assertThat(text(wait, "error")).isEqualTo("Wrong password.");
    browser.findElement(By.id("password")).sendKeys(TestIpgw.ADMIN_PASSWORD);
    browser.findElement(By.id("login")).click();
    wait.until(ExpectedConditions.urlToBe(site + "/pairing"));
    assertThat(text(wait, "not-paired")).isEqualTo("Not paired yet.");
    shot("02-pairing");

    browser.findElement(By.id("username")).sendKeys(owner);
    browser.findElement(By.id("portal-password")).sendKeys(PASSWORD);
    browser.findElement(By.id("friendly-name")).sendKeys("Location: Loft");
    browser.findElement(By.id("pair")).click();
    String domain = text(wait, "domain");
    assertThat(domain).isEqualTo(gateway.core().pairing().orElseThrow().domain()).hasSize(12);
    assertThat(text(wait, "flash")).contains("this gateway is " + domain);
    shot("03-paired");

    browser.findElement(By.linkText("Pending requests")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("pending-none")));
    TestApp app = TestApp.pair(portal, owner, PASSWORD, "Pixel <7> & co");
    app.client().createSipAccount(domain);
    // No click: the page's own meta refresh brings the request.
    WebElement row =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(By.cssSelector("#pending tr.request")));
    assertThat(row.findElement(By.className("username")).getText()).isEqualTo(owner);
    assertThat(row.findElement(By.className("device")).getText()).isEqualTo("Pixel <7> & co");
    shot("04-requests");

    row.findElement(By.className("open")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("approve")));
    assertThat(browser.getPageSource()).doesNotContain(PublicKeyHash.of(app.certificate()));
    shot("05-request");
    WebElement cameras = browser.findElement(By.cssSelector("input[name=cameras]"));
    if (cameras.isSelected()) {
      cameras.click();
    }
    browser.findElement(By.id("approve")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("code")));
    assertThat(app.client().approvedAccount(domain, Optional.empty()).status())
        .isEqualTo(RequestStatus.APPROVED);
    shot("06-code");

    // The app shows its code (DESIGN §5); its user reads it out to the owner.
    SecurityCode code =
        SecurityCode.generate(PublicKeyHash.of(app.certificate()), new SecureRandom());
    String wrong = code.value().substring(0, 4) + (code.value().endsWith("0000") ? "0001" : "0000");
    browser.findElement(By.id("code")).sendKeys(wrong);
    browser.findElement(By.id("check-code")).click();
    assertThat(text(wait, "error")).isEqualTo("Wrong code: 4 attempts left.");
    shot("07-wrong-code");
    browser.findElement(By.id("code")).sendKeys(code.value());
    browser.findElement(By.id("check-code")).click();

    wait.until(ExpectedConditions.urlToBe(site + "/accounts"));
    WebElement account =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(By.cssSelector("#accounts tr.account")));
    assertThat(account.findElement(By.className("username")).getText()).isEqualTo(owner);
    assertThat(account.findElement(By.className("device")).getText()).isEqualTo("Pixel <7> & co");
    assertThat(account.findElement(By.className("state")).getText()).isEqualTo("enabled");
    assertThat(text(wait, "flash")).contains("is enabled");
    assertThat(gateway.core().decisions().accounts().get(0).rights().cameras()).isFalse();
    shot("08-accounts");

    // The kill switch: the b2b runs as ipgw's child; stop it, see it stopped, start it again.
    // (the enabling's reload may restart a b2b without a SIGHUP handler: wait until it is steady)
    long steady = B2bStates.awaitSteadyRunning(gateway.b2b());
    browser.findElement(By.linkText("b2b")).click();
    wait.until(ExpectedConditions.textToBe(By.id("b2b-state"), "running"));
    long pid = Long.parseLong(text(wait, "b2b-pid"));
    assertThat(pid).isEqualTo(steady);
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
    assertThat(gateway.b2b().state().pid()).contains(pid);
    shot("09-b2b");

    browser.findElement(By.id("b2b-stop")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("b2b-start")));
    assertThat(text(wait, "b2b-state")).isEqualTo("stopped");
    assertThat(text(wait, "b2b-detail")).isEqualTo("stopped by the owner");
    assertThat(text(wait, "flash")).contains("The b2b is stopped");
    assertThat(browser.findElements(By.id("b2b-pid"))).isEmpty();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    shot("10-b2b-stopped");

    browser.findElement(By.id("b2b-start")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("b2b-stop")));
    wait.until(ExpectedConditions.textToBe(By.id("b2b-state"), "running"));
    long again = Long.parseLong(text(wait, "b2b-pid"));
    assertThat(again).isNotEqualTo(pid);
    assertThat(ProcessHandle.of(again).map(ProcessHandle::isAlive)).contains(true);
    shot("11-b2b-started");
  }

  private String text(WebDriverWait wait, String id) {
    return wait.until(ExpectedConditions.presenceOfElementLocated(By.id(id))).getText();
  }

  private void shot(String name) throws Exception {
    File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(
        png.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
