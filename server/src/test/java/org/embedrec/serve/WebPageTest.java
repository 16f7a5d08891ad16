package org.embedrec.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.embedrec.recommend.Recommender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in a real browser: Debian's {@code chromium} through {@code chromedriver},
 * headless. Without them the test fails, so a CI machine that lacks them is noticed ({@code .ci/run}
 * installs them); only {@code -Dembedrec.skipBrowserTests=true} skips it, for a machine that cannot
 * install them. Leaves a screenshot in {@code target/web-page.png}.
 */
class WebPageTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path tmp;
    static ShopServer shop;
    static Recommender direct;
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("embedrec.skipBrowserTests"),
                "browser tests skipped by -Dembedrec.skipBrowserTests=true");
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("the web page test needs " + CHROMIUM + " and " + CHROMEDRIVER
                        + " (apt-get install chromium chromium-driver), or -Dembedrec.skipBrowserTests=true")
                .isTrue();
        shop = ShopServer.start(tmp);
        direct = Recommender.load(ShopServer.FROZEN);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (shop != null) {
            shop.close();
        }
    }

    @Test
    void showsHistoryBesideRecommendationsAndNearestItemsOnClick() throws Exception {
        browser.get(shop.uri("/").toString());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#recommendations li"), 10));

        // The first known user is picked: their history and their top 10, seen items marked.
        String user = browser.findElement(By.id("user")).getAttribute("value");
        assertThat(user).isEqualTo(direct.userIds().get(0));
        assertThat(itemIds("#history li")).isEqualTo(direct.recentItems(user)).hasSizeLessThanOrEqualTo(20);
        List<WebElement> recommended = browser.findElements(By.cssSelector("#recommendations li"));
        assertThat(recommended).allSatisfy(li -> assertThat(li.findElement(By.className("score")).getText())
                .matches("-?\\d+\\.\\d{3}"));
        long seen = recommended.stream().filter(li -> !li.findElements(By.className("seen")).isEmpty()).count();
        assertThat(seen).isPositive();

        // Typing another user and leaving out what they saw.
        WebElement input = browser.findElement(By.id("user"));
        input.clear();
        input.sendKeys("u7");
        browser.findElement(By.id("exclude-seen")).click();
        browser.findElement(By.id("go")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("history-note"), "u7"));
        wait.until(d -> itemIds("#history li").equals(direct.recentItems("u7")));
        assertThat(browser.findElements(By.cssSelector("#recommendations li .seen"))).isEmpty();

        // Clicking an item lists its nearest items, itself left out.
        WebElement first = browser.findElement(By.cssSelector("#recommendations li"));
        String clicked = first.getAttribute("data-item");
        first.click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("similar-title"), clicked));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#similar li"), 10));
        assertThat(itemIds("#similar li")).doesNotContain(clicked)
                .isEqualTo(direct.similar(clicked, 10).items().stream().map(i -> i.itemId()).toList());

        byte[] png = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/web-page.png"), png);

        // A user never seen: the popular items, said as such.
        input = browser.findElement(By.id("user"));
        input.clear();
        input.sendKeys("someone new");
        browser.findElement(By.id("go")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("recommendations-note"), "popular"));
        assertThat(browser.findElement(By.id("history-note")).getText()).contains("not in the training data");
        assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
    }

    @Test
    void aTypedHistoryIsAnsweredByANextItemModelWithUnknownIdsMarked() throws Exception {
        Path dir = WalksSasRec.trainAndSave(tmp.resolve("sasrec"));
        Recommender sasrec = Recommender.load(dir);
        try (ShopServer walks = ShopServer.serve(dir, ServeOptions.defaults().withPort(0).withThreads(2))) {
            browser.get(walks.uri("/").toString());
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#recommendations li"), 10));

            // No user, only a history: answered from it, the unknown id listed and marked.
            browser.findElement(By.id("user")).clear();
            browser.findElement(By.id("history-ids")).sendKeys("i3, zzz ,i4");
            browser.findElement(By.id("k")).clear();
            browser.findElement(By.id("k")).sendKeys("5");
            browser.findElement(By.id("go")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("history-note"), "given with the query"));
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#recommendations li"), 5));
            assertThat(itemIds("#recommendations li")).isEqualTo(sasrec.recommend(
                    org.embedrec.recommend.Query.builder().history(List.of("i3", "zzz", "i4")).k(5).build())
                    .items().stream().map(i -> i.itemId()).toList());
            assertThat(itemIds("#history li")).containsExactly("i4", "zzz", "i3");
            assertThat(browser.findElements(By.cssSelector("#history li .missing"))).hasSize(1);
            assertThat(browser.findElement(By.id("history-note")).getText()).contains("1 not in the model");
            assertThat(browser.findElement(By.id("recommendations-note")).getText()).contains("by history");
            assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
            Files.write(Path.of("target/web-page-history.png"), ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
        }
    }

    private static List<String> itemIds(String css) {
        return browser.findElements(By.cssSelector(css)).stream().map(li -> li.getAttribute("data-item")).toList();
    }
}
