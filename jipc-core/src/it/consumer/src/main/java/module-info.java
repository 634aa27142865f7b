/** A program that uses jipc, as a module. */
module com.example.consumer {
    requires io.jipc;
}
